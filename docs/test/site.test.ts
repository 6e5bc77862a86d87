// The docs site in a real browser: Debian's Chromium driven by playwright-core, against docs/site
// served on 127.0.0.1. Runs whenever EMBEDKIT_BROWSER_TEST is not '0'. The root test runner
// (scripts/test-all.mjs) sets it to '0' only when Chromium is missing outside CI; then this file
// holds one test proving that Chromium really is absent, so a skipped browser test cannot hide.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docsRoot, siteDir } from '../scripts/packages.mjs';
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
    }, 900_000);
  });
}
