// The demo's behaviour: five ids against its own sandbox, a clear error for missing credentials,
// and a non-zero exit that prints the server's error when a submission fails.
import { startSandbox } from '@embedkit/sandbox';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';

async function demo(env: Record<string, string>) {
  const lines: string[] = [];
  const code = await run(env, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('demo', () => {
  it('submits the five types to its own sandbox and prints their verification ids', async () => {
    const { code, output } = await demo({});
    expect(code, output).toBe(0);
    for (const type of ['identity_document', 'residence_document', 'tax_id_document', 'selfie', 'watchlists']) {
      expect(output).toMatch(new RegExp(`^  ${type} +verification_id ${UUID}$`, 'm'));
    }
    expect(output).toContain('5 of 5 verifications submitted');
    expect(output).toContain('required actions left for the user: none');
  });

  it('needs EMBED_API_KEY and EMBED_API_SECRET when EMBED_BASE_URL is set', async () => {
    const { code, output } = await demo({ EMBED_BASE_URL: 'http://127.0.0.1:9' });
    expect(code).toBe(2);
    expect(output).toContain('EMBED_API_KEY and EMBED_API_SECRET must be set');
  });

  it('exits non-zero and prints the server error when a submission fails', async () => {
    const sandbox = await startSandbox({ faults: { queue: ['500'] } });
    try {
      const { code, output } = await demo({ EMBED_BASE_URL: sandbox.url, EMBED_API_KEY: sandbox.apiKey, EMBED_API_SECRET: sandbox.apiSecret });
      expect(code).toBe(1);
      expect(output).toContain('identity_document    FAILED HTTP 500: EGeneral:Internal error');
      expect(output).toContain('4 of 5 verifications submitted');
      expect(sandbox.submissions()).toHaveLength(4);
    } finally {
      await sandbox.close();
    }
  });

  it('prints the authentication error for a wrong secret', async () => {
    const sandbox = await startSandbox();
    try {
      const { code, output } = await demo({ EMBED_BASE_URL: sandbox.url, EMBED_API_KEY: sandbox.apiKey, EMBED_API_SECRET: Buffer.alloc(64, 1).toString('base64') });
      expect(code).toBe(1);
      expect(output).toContain('FAILED HTTP 401: EAPI:Invalid signature');
      expect(output).not.toContain(sandbox.apiSecret);
    } finally {
      await sandbox.close();
    }
  });
});
