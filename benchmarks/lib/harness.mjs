// Shared pieces of the benchmarks: the sink server process, child-process runs, machine facts.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';

/** Starts the sink server in its own process; resolves to its base URL and a stop function. */
export async function startSinkServer() {
  const child = fork(new URL('./sink-server.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`sink server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.disconnect();
      }),
  };
}

/** Runs one benchmark variant in a fresh Node process and returns the JSON it prints last. */
export function runChild(script, args) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
      const last = output.trim().split('\n').at(-1);
      resolve(JSON.parse(last));
    });
  });
}

export function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} cores, ${cpu}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const API_KEY = 'bench-key';
// A throwaway secret for loopback benchmarks only.
export const API_SECRET = Buffer.from('embedkit-benchmark-secret-not-a-real-key').toString('base64');
export const USER = 'AA95N84GTESTXXXX';
