// pnpm bench:generate: generation time of embedkit against openapi-typescript alone on the same
// spec, each measurement a fresh process (as the CLI runs), alternating the two tools, in one run.
// Target (issue 12): embedkit at most 2x openapi-typescript, for spec/2025-04-15 and GitHub's spec.
// Rounds: BENCH_ROUNDS (default 5 for the Embed spec, 1 for GitHub's 13 MB spec). BENCH_ONLY: run
// only the specs whose name contains it (e.g. `BENCH_ONLY=2025-04-15`).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const one = fileURLToPath(new URL('one.mjs', import.meta.url));
const specs = [
  { name: 'spec/2025-04-15', file: fileURLToPath(new URL('../../spec/2025-04-15/openapi.yaml', import.meta.url)), rounds: 5 },
  { name: 'GitHub (@octokit/openapi 23.0.2)', file: require.resolve('@octokit/openapi/generated/api.github.com.json'), rounds: 1 },
];
const rounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined;

function measure(tool, file) {
  const out = execFileSync(process.execPath, [one, tool, file, 'phases'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop());
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`bench:generate (Node ${process.version}; each run a fresh process; shared machine: compare the ratios, not the times)\n`);
for (const spec of specs.filter((s) => s.name.includes(process.env.BENCH_ONLY ?? ''))) {
  const n = rounds ?? spec.rounds;
  const base = [];
  const ours = [];
  for (let i = 0; i < n; i++) {
    base.push(measure('openapi-typescript', spec.file));
    ours.push(measure('embedkit', spec.file));
  }
  const b = median(base.map((r) => r.ms));
  const e = median(ours.map((r) => r.ms));
  const phases = Object.keys(ours[0]).filter((k) => k !== 'ms' && k !== 'refused');
  const phaseText = phases.map((p) => `${p} ${median(ours.map((r) => r[p])).toFixed(0)}`).join(', ');
  console.log(`${spec.name} (${n} round${n === 1 ? '' : 's'})`);
  console.log(`  openapi-typescript alone: ${(b / 1000).toFixed(2)} s (median)`);
  if (ours[0].refused !== undefined) {
    console.log(`  embedkit: refused (${ours[0].refused} problems) after ${(e / 1000).toFixed(2)} s: ${phaseText} ms`);
    console.log('  ratio: n/a (the spec does not generate yet; the time is load + model only)\n');
  } else {
    console.log(`  embedkit generate (every package, in memory): ${(e / 1000).toFixed(2)} s (median); phases (ms): ${phaseText}`);
    console.log(`  ratio: ${(e / b).toFixed(2)}x (target <= 2x: ${e / b <= 2 ? 'met' : 'NOT met'})\n`);
  }
}
