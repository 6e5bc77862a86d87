// The pages generated from the specs say what the specs say: each operation with its call, its raw
// request and its response example; the spec page with a section per schema; the changelog
// honest about releases. (The verification types page is compared in the browser test.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/packages.mjs';
import { changelogPage, deref, loadSpec, operationsPage, schemaAnchor, specPage, specVersions } from '../scripts/site-pages.mjs';

type Media = { examples?: Record<string, { value: Record<string, unknown> }>; schema?: unknown };
type Operation = {
  summary?: string;
  operationId: string;
  'x-embed-client'?: { group: string; method: string };
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, unknown>;
};

const versions = specVersions(repoRoot);

test('every spec version is found', () => {
  expect(versions.length).toBeGreaterThan(0);
});

describe.each(versions.map((v) => [v.version, v.specPath] as const))('API %s', (version, specPath) => {
  const spec = loadSpec(specPath);
  const page = operationsPage(version, spec);
  const server = spec.servers?.[0]?.url as string;
  const operations = Object.entries(spec.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    (['get', 'put', 'post', 'patch', 'delete'] as const).filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Operation })),
  );

  test.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))('the operations page documents %s from the spec', (_, { path, method, op }) => {
    const section = page.split(/^## /m).find((s) => s.startsWith(`${op.summary ?? op.operationId}\n`));
    expect(section, `a section "${op.summary}"`).toBeDefined();
    const text = section as string;
    expect(text).toContain(`\`${method.toUpperCase()} ${path}\``);
    // The raw request: method, the server, the path with its example parameters.
    const pathPattern = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}/g, '[^/\']+');
    expect(text).toMatch(new RegExp(`curl -X ${method.toUpperCase()} '${server.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${pathPattern}'`));
    // The call through the client.
    const client = op['x-embed-client'];
    if (client) expect(text).toContain(`await embed.${client.group}.${client.method}(`);
    // The request example: every form field or JSON member.
    const [mediaType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
    const example = Object.values(media?.examples ?? {})[0]?.value;
    if (mediaType === 'multipart/form-data' && example) {
      for (const key of Object.keys(example)) expect(text, `form field ${key}`).toMatch(new RegExp(`-F '${key}=`));
      expect(text).toContain(`-F 'type=${example.type}'`);
    } else if (example) {
      expect(text).toContain(`--data '${JSON.stringify(example)}'`);
    }
    // The success response example, as JSON.
    const [, response] = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith('2')) ?? [];
    const success = deref(spec, response) as { content?: Record<string, Media> };
    const responseExample = Object.values(success?.content?.['application/json']?.examples ?? {})[0]?.value;
    if (responseExample) expect(text).toContain(JSON.stringify(responseExample, null, 2));
  });

  test('the spec page has one section per schema, with the anchor the packages link to', () => {
    const text = specPage(version, specPath, spec);
    for (const name of Object.keys(spec.components.schemas)) {
      expect(text).toContain(`<a id="${schemaAnchor(name)}"></a>`);
      expect(text).toContain(`\`#/components/schemas/${name}\``);
    }
    expect(text).toMatch(/\]\([^)]*openapi\.yaml\)/);
  });
});

describe('the changelog page', () => {
  test('says "No releases yet" without release notes, and lists pending changesets', () => {
    const root = mkdtempSync(join(tmpdir(), 'embedkit-changelog-'));
    try {
      mkdirSync(join(root, '.changeset'));
      writeFileSync(join(root, '.changeset', 'README.md'), '# Changesets\n');
      writeFileSync(join(root, '.changeset', 'brave-lions.md'), "---\n'@embedkit/runtime': minor\n---\n\nA Redis nonce source.\n");
      const text = changelogPage(root);
      expect(text).toContain('No releases yet');
      expect(text).toContain('`@embedkit/runtime` (minor): A Redis nonce source.');
      mkdirSync(join(root, 'packages', 'runtime'), { recursive: true });
      writeFileSync(join(root, 'packages', 'runtime', 'CHANGELOG.md'), '# @embedkit/runtime\n\n## 0.2.0\n\n### Minor Changes\n\n- A Redis nonce source.\n');
      const released = changelogPage(root);
      expect(released).not.toContain('No releases yet');
      expect(released).toContain('## @embedkit/runtime');
      expect(released).toContain('### 0.2.0');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
