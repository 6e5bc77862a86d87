// The docs site in a real browser: Debian's Chromium driven by playwright-core, against docs/site
// served on 127.0.0.1. Runs whenever EMBEDKIT_BROWSER_TEST is not '0'. The root test runner
// (scripts/test-all.mjs) sets it to '0' only when Chromium is missing outside CI; then this file
// holds one test proving that Chromium really is absent, so a skipped browser test cannot hide.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docsRoot, repoRoot, siteDir } from '../scripts/packages.mjs';
import { deref, loadSpec, specVersions } from '../scripts/site-pages.mjs';
import { ensureFreshSite, packages } from './site-build.js';
import { type StaticServer, serveStatic } from './static-server.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserTest = process.env.EMBEDKIT_BROWSER_TEST !== '0';
const screenshotPath = join(docsRoot, 'test-output', 'index.png');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

if (!browserTest) {
  test('the browser test is off only because Chromium is really absent', () => {
    expect(process.env.EMBEDKIT_BROWSER_TEST).toBe('0');
    expect(existsSync(chromiumPath), `EMBEDKIT_BROWSER_TEST=0, yet ${chromiumPath} exists: unset it to run the browser test`).toBe(false);
  });
} else {
  describe('docs site in Chromium', () => {
    let server: StaticServer;
    let context: BrowserContext;
    let userDataDir: string;
    /** Every console error, uncaught page error, failed request and HTTP error, with its page. */
    const problems: string[] = [];

    beforeAll(async () => {
      const rebuilt = ensureFreshSite();
      if (rebuilt) console.info(`docs site rebuilt before the browser test: ${rebuilt}`);
      if (!existsSync(chromiumPath)) {
        throw new Error(
          `Chromium is not at ${chromiumPath}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH; ` +
            'EMBEDKIT_BROWSER_TEST=0 turns this test off only where Chromium is absent.',
        );
      }
      server = await serveStatic(siteDir);
      userDataDir = mkdtempSync(join(tmpdir(), 'embedkit-docs-chromium-'));
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: chromiumPath,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
      });
      // Generous: the machine may be busy building other packages while this runs.
      context.setDefaultNavigationTimeout(120_000);
      context.setDefaultTimeout(60_000);
      context.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error on ${message.page()?.url()}: ${message.text()}`);
      });
      context.on('weberror', (error) => problems.push(`uncaught error on ${error.page()?.url()}: ${error.error().message}`));
      context.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
      context.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
      });
    });

    afterAll(async () => {
      await context?.close();
      await server?.close();
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    });

    async function open(path: string): Promise<Page> {
      const page = context.pages()[0] ?? (await context.newPage());
      const response = await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
      // The sidebar is rendered by TypeDoc's script from navigation data.
      await page.locator('#tsd-nav-container li').first().waitFor({ state: 'attached' });
      return page;
    }

    test('the index loads, shows the site structure, and is saved as a screenshot', async () => {
      const page = await open('index.html');
      expect(await page.title()).toMatch(/embedkit/);
      const nav = page.locator('#tsd-nav-container');
      const groups = ['Guides', 'Runtime', 'Sandbox', ...new Set(packages.filter((p) => p.apiVersion).map((p) => p.group))];
      for (const group of groups) await nav.getByText(group, { exact: true }).first().waitFor({ state: 'attached' });
      mkdirSync(join(docsRoot, 'test-output'), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: true });
      expect(existsSync(screenshotPath)).toBe(true);
      expect(problems).toEqual([]);
    });

    test('the search finds submit', async () => {
      const page = await open('index.html');
      await page.locator('#tsd-search-trigger').click();
      const input = page.locator('#tsd-search-input');
      await input.waitFor({ state: 'visible' });
      await input.pressSequentially('submit', { delay: 20 });
      const results = page.locator('#tsd-search-results li');
      await results.first().waitFor({ state: 'visible' });
      // Prefer a symbol named submit (the client's `verifications.submit`); guides mentioning it also match.
      const symbol = results.filter({ has: page.locator('mark', { hasText: /^submit$/i }) });
      const hit = (await symbol.count()) > 0 ? symbol.first() : results.first();
      const label = ((await hit.textContent()) ?? '').replace(/\s+/g, ' ').trim();
      console.info(`search "submit": ${await results.count()} results, following "${label}"`);
      await hit.locator('a').first().click();
      await page.waitForLoadState('load');
      expect(page.url()).not.toBe(new URL('index.html', server.url).href);
      expect((await page.locator('.col-content').textContent()) ?? '').toMatch(/submit/i);
      expect(problems).toEqual([]);
    });

    test.each(packages.map((p) => [p.name, p.group, p.readme] as const))('%s has its page, in "%s", starting with its README', async (name, group, readme) => {
      const page = await open('modules.html');
      // The root page lists the packages under their group's heading.
      const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      const section = page.locator('.col-content details.tsd-member-group').filter({ has: page.locator('summary h2', { hasText: exactly(group) }) });
      await section.locator('a', { hasText: exactly(name) }).first().click();
      await page.waitForLoadState('load');
      // The first "## " heading of the README is on the page, as a heading.
      const subheading = /^## +(.+?)\s*$/m.exec(readFileSync(readme as string, 'utf8'))?.[1]?.replace(/[`*_]/g, '');
      expect(subheading, `${readme} has a "## " heading`).toBeDefined();
      await expect.poll(() => page.locator('.col-content').getByRole('heading', { name: subheading as string }).count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    const versions = [...new Set(packages.filter((p) => p.kind === 'client').map((p) => p.apiVersion as string))];
    test.each(versions)('the %s client page shows createEmbedClient', async (version) => {
      const page = await open('modules.html');
      await page.locator('.col-content a', { hasText: new RegExp(`^@embedkit/client-${version}$`) }).first().click();
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('h1').first().textContent()).toContain(`@embedkit/client-${version}`);
      const link = page.locator('.col-content a', { hasText: /^createEmbedClient$/ }).first();
      await link.waitFor({ state: 'visible' });
      await link.click();
      await page.waitForLoadState('load');
      expect(await page.locator('h1').first().textContent()).toContain('createEmbedClient');
      expect(problems).toEqual([]);
    });

    /** The landing page, each client package page and every guide (project document), as site paths. */
    function layoutPages(): string[] {
      const documents = readdirSync(join(siteDir, 'documents')).filter((f) => f.endsWith('.html'));
      return [
        'index.html',
        ...versions.map((v) => `modules/_embedkit_client-${v}.html`),
        ...documents.map((f) => `documents/${encodeURIComponent(f)}`),
      ];
    }

    test.each([1400, 390])('at %i px: no table, code block or image extends past the content column, no sideways page scroll', async (width) => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      const failures: string[] = [];
      const pages = layoutPages();
      expect(pages.length).toBeGreaterThan(8);
      for (const path of pages) {
        await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
        const found = await page.evaluate(() => {
          const out: string[] = [];
          const column = document.querySelector('.col-content');
          if (!column) return ['no .col-content'];
          const c = column.getBoundingClientRect();
          for (const el of column.querySelectorAll('table, pre, img')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue; // inside a closed <details>
            if (r.left < c.left - 1 || r.right > c.right + 1) {
              out.push(`<${el.tagName.toLowerCase()}> spans ${Math.round(r.left)}..${Math.round(r.right)} px, the column ${Math.round(c.left)}..${Math.round(c.right)} px: "${(el.textContent ?? '').trim().slice(0, 50)}"`);
            }
          }
          const root = document.documentElement;
          if (root.scrollWidth > root.clientWidth + 1) out.push(`the page scrolls sideways: ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
          // Two sidebars: the content column ends where "On This Page" begins.
          const toc = document.querySelector('.page-menu');
          const t = toc?.getBoundingClientRect();
          if (t && t.width > 0 && getComputedStyle(toc as Element).visibility !== 'hidden' && t.left >= c.left && t.left < c.right - 1) {
            out.push(`"On This Page" starts at ${Math.round(t.left)} px, inside the content column (ends at ${Math.round(c.right)} px)`);
          }
          return out;
        });
        failures.push(...found.map((f) => `${decodeURIComponent(path)}: ${f}`));
      }
      await page.close();
      console.info(`layout at ${width} px: ${pages.length} pages checked`);
      expect(failures).toEqual([]);
      expect(problems).toEqual([]);
    }, 600_000);

    /** The search results for a phrase: each result's label and link. */
    async function search(phrase: string): Promise<{ label: string; href: string }[]> {
      const page = await open('index.html');
      await page.locator('#tsd-search-trigger').click();
      const input = page.locator('#tsd-search-input');
      await input.waitFor({ state: 'visible' });
      await input.fill('');
      await input.pressSequentially(phrase, { delay: 10 });
      const results = page.locator('#tsd-search-results li');
      await results.first().waitFor({ state: 'visible' });
      // The list is rendered after a 200 ms debounce; wait until it is stable.
      let previous = '';
      for (let i = 0; i < 20; i++) {
        const now = (await page.locator('#tsd-search-results').innerHTML()) ?? '';
        if (now === previous) break;
        previous = now;
        await page.waitForTimeout(150);
      }
      return results.evaluateAll((items) =>
        items.map((li) => ({ label: (li.textContent ?? '').replace(/\s+/g, ' ').trim(), href: li.querySelector('a')?.getAttribute('href') ?? '' })),
      );
    }

    test.each(['Invalid nonce', 'retry', 'tax_id', 'migrate'])('searching "%s" shows a guide or the errors page among the first five results, with clean labels', async (phrase) => {
      const results = await search(phrase);
      console.info(`search "${phrase}": ${results.slice(0, 5).map((r) => `${r.label} (${r.href})`).join('; ')}`);
      const firstFive = results.slice(0, 5);
      expect(firstFive.some((r) => r.href.includes('documents/') && !r.href.includes('OpenAPI_spec')), JSON.stringify(firstFive)).toBe(true);
      for (const { label } of results) expect(label).not.toMatch(/__type|__object/);
      expect(problems).toEqual([]);
    });

    test('the errors page has the table by HTTP status, linked from Getting started', async () => {
      const page = await open('documents/Getting_started.html');
      await page.locator('.col-content a', { hasText: /^Errors and retries$/ }).first().click();
      await page.waitForLoadState('load');
      const table = page.locator('.col-content table').filter({ has: page.locator('th', { hasText: /^Status$/ }) }).first();
      const headers = await table.locator('th').allTextContents();
      expect(headers.map((h) => h.trim())).toEqual(['Status', 'Example Kraken error strings', 'Meaning', 'Retried by the client?', 'What to do']);
      const statuses = (await table.locator('tbody tr td:first-child').allTextContents()).map((t) => Number(t.trim().slice(0, 3)));
      expect(statuses).toEqual([400, 401, 403, 404, 408, 409, 413, 429, 500, 503]);
      expect(problems).toEqual([]);
    });

    const specs = specVersions(repoRoot);
    test.each(specs.map((s) => [s.version, s.specPath] as const))('the %s verification types page matches the spec', async (version, specPath) => {
      // The expectation is read from the spec here, independently of the script that writes the page.
      const spec = loadSpec(specPath);
      type Operation = { requestBody?: { content?: Record<string, { schema: unknown }> } };
      const multipart = Object.values(spec.paths as Record<string, { post?: Operation }>)
        .map((item) => item.post?.requestBody?.content?.['multipart/form-data'])
        .find((media) => media !== undefined);
      expect(multipart, 'the spec has a multipart submission').toBeDefined();
      const union = deref(spec, multipart?.schema);
      const expected = Object.entries(union.discriminator.mapping as Record<string, string>).map(([type, ref]) => {
        const variant = deref(spec, { $ref: ref });
        const metadata = deref(spec, variant.properties.metadata);
        const fileParts = Object.entries(variant.properties as Record<string, unknown>)
          .filter(([, node]) => deref(spec, node)?.format === 'binary')
          .map(([name]) => name);
        const required = new Set<string>(variant.required ?? []);
        return {
          type,
          requiredMetadata: (metadata.required ?? []) as string[],
          requiredFiles: fileParts.filter((f) => required.has(f)),
          optionalFiles: fileParts.filter((f) => !required.has(f)),
        };
      });
      const page = await open(`documents/${encodeURIComponent(`Verification types (${version})`.replace(/ /g, '_'))}.html`);
      const summary = page.locator('.col-content table').first();
      const rows = await summary.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => [...td.querySelectorAll('code')].map((c) => c.textContent ?? ''))),
      );
      const shown = rows.map(([type, metadata, requiredFiles, optionalFiles]) => ({
        type: type?.[0],
        requiredMetadata: metadata ?? [],
        requiredFiles: requiredFiles ?? [],
        optionalFiles: optionalFiles ?? [],
      }));
      // A type without required metadata fields (watchlists) names its optional checks instead.
      for (const row of shown) {
        const want = expected.find((e) => e.type === row.type);
        if (want && want.requiredMetadata.length === 0) row.requiredMetadata = [];
      }
      expect(shown).toEqual(expected);
      // Each type's own section lists every metadata field of the spec, required ones marked so.
      for (const { type } of expected) {
        const variant = deref(spec, { $ref: union.discriminator.mapping[type] });
        const metadata = deref(spec, variant.properties.metadata);
        const section = page.locator(`.col-content h2:text-is("${type}")`);
        await section.waitFor({ state: 'attached' });
        const table = page.locator(`xpath=//h2[normalize-space()="${type}"]/following::table[1]`);
        const fields = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td code')?.textContent ?? '', tr.querySelectorAll('td')[1]?.textContent?.trim() ?? '']));
        const topLevel = fields.filter(([name]) => !name?.includes('.'));
        expect(topLevel.map(([name]) => name)).toEqual(Object.keys(metadata.properties));
        for (const [name, requirement] of topLevel) expect(requirement, `${type} ${name}`).toBe((metadata.required ?? []).includes(name) ? 'required' : 'optional');
      }
      expect(problems).toEqual([]);
    });

    test('every page: no broken internal link or anchor, no console error', async () => {
      const base = new URL(server.url);
      const anchorsOf = new Map<string, Set<string>>(); // site path -> ids/names on it
      const checks: { from: string; target: string; hash: string }[] = [];
      const broken: string[] = [];
      const queue = ['/index.html'];
      const seen = new Set(queue);
      let external = 0;

      const fileFor = (pathname: string) => join(siteDir, decodeURIComponent(pathname));

      async function visit(page: Page, path: string): Promise<void> {
        const response = await page.goto(new URL(path, base).href, { waitUntil: 'load' });
        if (response?.status() !== 200) {
          broken.push(`${path}: HTTP ${response?.status()}`);
          return;
        }
        // Links in the sidebar are rendered by script: wait for them.
        if (await page.locator('#tsd-nav-container').count()) {
          await page.locator('#tsd-nav-container li').first().waitFor({ state: 'attached' });
        }
        const { ids, refs } = await page.evaluate(() => ({
          ids: [...document.querySelectorAll('[id], a[name]')].map((el) => el.id || el.getAttribute('name') || ''),
          refs: [...document.querySelectorAll('[href], [src]')].map((el) => {
            const raw = el.getAttribute(el.hasAttribute('href') ? 'href' : 'src') ?? '';
            return { raw, resolved: new URL(raw, document.baseURI).href };
          }),
        }));
        anchorsOf.set(path, new Set(ids));
        for (const { raw, resolved } of refs) {
          const url = new URL(resolved);
          if (url.origin !== base.origin) {
            if (url.protocol === 'http:' || url.protocol === 'https:') external += 1;
            continue;
          }
          const target = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
          if (!existsSync(fileFor(target))) {
            broken.push(`${path}: ${raw} -> ${target} does not exist`);
            continue;
          }
          if (url.hash.length > 1) checks.push({ from: path, target, hash: decodeURIComponent(url.hash.slice(1)) });
          if (extname(target) === '.html' && !seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        }
      }

      // A few tabs crawl in parallel; each takes the next page from the shared queue.
      const tabs = await Promise.all(Array.from({ length: 3 }, () => context.newPage()));
      let active = 0;
      await Promise.all(
        tabs.map(async (tab) => {
          for (;;) {
            const path = queue.shift();
            if (path === undefined) {
              if (active === 0) return;
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            active += 1;
            try {
              await visit(tab, path);
            } finally {
              active -= 1;
            }
          }
        }),
      );
      await Promise.all(tabs.map((tab) => tab.close()));

      const svgIds = new Map<string, Set<string>>();
      for (const { from, target, hash } of checks) {
        let ids = anchorsOf.get(target);
        if (!ids && extname(target) === '.svg') {
          ids = svgIds.get(target) ?? new Set([...readFileSync(fileFor(target), 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] as string));
          svgIds.set(target, ids);
        }
        if (!ids?.has(hash)) broken.push(`${from}: #${hash} does not exist on ${target}`);
      }

      console.info(`crawled ${seen.size} pages, checked ${checks.length} anchors, ignored ${external} external links`);
      expect(seen.size).toBeGreaterThan(packages.length + 5);
      expect([...new Set(broken)]).toEqual([]);
      expect(server.notFound).toEqual([]);
      expect(problems).toEqual([]);
      // Generous: about 390 pages, and on a machine shared with other builds a page can take seconds.
    }, 1_800_000);
  });
}
