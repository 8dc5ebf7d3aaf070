/**
 * GraphiQL in a real browser: headless Chromium loads /graphql from a local server with every
 * request outside 127.0.0.1 blocked (the page must not need a CDN), under its
 * Content-Security-Policy (no violation may be reported), opens the examples as tabs and runs
 * the first one. Skips, saying why, where /usr/bin/chromium is not installed
 * (CI installs it: apt-get install -y chromium fonts-noto-cjk).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { startApi } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const missing = !existsSync(CHROMIUM);

if (missing) console.warn(`[graphiql-browser] skipped: ${CHROMIUM} is not installed (apt-get install -y chromium fonts-noto-cjk)`);

describe.skipIf(missing)('GraphiQL in headless Chromium', () => {
  let api: Api;
  let server: Server;
  let base: string;
  let profile: string;

  beforeAll(async () => {
    api = await startApi();
    server = createServer(api.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'gongkai-chromium-'));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server?.closeAllConnections();
    await api?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('loads offline, shows the examples as tabs and runs the first one', { timeout: 120_000 }, async () => {
    const { chromium } = await import('playwright-core');
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 900 } });
    const external: string[] = [];
    try {
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        external.push(url);
        return route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The page's Content-Security-Policy must allow everything GraphiQL does.
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
      });
      await page.goto(`${base}/graphql`, { waitUntil: 'load' });
      await page.locator('.graphiql-container').first().waitFor({ timeout: 60_000 });
      await expect.poll(() => page.title()).toContain('Gongkai');

      // one tab per example of docs/queries
      const tabs = page.locator('.graphiql-tab');
      await expect.poll(() => tabs.count(), { timeout: 30_000 }).toBe(readdirSync('docs/queries').filter((f) => f.endsWith('.graphql')).length);
      await expect.poll(() => tabs.first().innerText()).toContain('LuoyangCounties2023');
      await expect.poll(() => page.locator('.graphiql-query-editor').first().innerText(), { timeout: 30_000 }).toContain('applicationComparison');

      await page.locator('.graphiql-execute-button').first().click();
      // the response editor renders the lines in view: the first county of 洛阳市 is there
      const response = page.locator('.graphiql-response').first();
      await expect.poll(() => response.innerText(), { timeout: 60_000 }).toContain('老城区');
      const text = await response.innerText();
      expect(text).toContain('applicationComparison');
      expect(text).toContain('grantedAnyShare');

      mkdirSync('reports', { recursive: true });
      await page.screenshot({ path: 'reports/graphiql.png' });
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
