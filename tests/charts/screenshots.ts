/**
 * Screenshots of every chart kind at 320 and 960 px, in headless Chromium with CJK fonts
 * (apt-get install chromium fonts-noto-cjk): the charts as a reader's browser draws them, not
 * as vega estimated them. Writes docs/charts/<kind>-<width>.png.
 *
 *   npx tsx tests/charts/screenshots.ts [RELEASE_DIR]     (default: the test demo release)
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createApi } from '../../api/server.ts';

export const SHOTS: { kind: string; query: string }[] = [
  { kind: 'outcomes', query: 'region=410300&year=2023' },
  { kind: 'trend', query: 'region=410305&region=410302&region=410311&years=2019-2024' },
  { kind: 'ranking', query: 'region=410000&year=2022&measure=reviews' },
  { kind: 'applicants', query: 'region=410305&year=2023' },
];
export const WIDTHS = [320, 960];
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Serves `release` on a local port and opens headless Chromium; `use` gets the base URL and the browser. */
export async function withApiInBrowser<T>(release: string, use: (base: string, browser: Browser) => Promise<T>): Promise<T> {
  const api = await createApi({ release, logErrors: true, threads: 1 });
  const server = createServer(api.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    return await use(base, browser);
  } finally {
    await browser.close();
    server.close();
    await api.close();
  }
}

export function screenshots(release: string, outDir: string): Promise<string[]> {
  return withApiInBrowser(release, async (base, browser) => {
    const written: string[] = [];
    mkdirSync(outDir, { recursive: true });
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
      for (const { kind, query } of SHOTS) {
        // The embed page, as a newsroom's iframe shows it: the layout for its width, and the data table.
        await page.goto(`${base}/embed/${kind}?${query}`, { waitUntil: 'load' });
        const file = join(outDir, `${kind}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
      }
      await page.close();
    }
    return written;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const release = process.argv[2] ?? '.cache/test-demo/releases/latest';
  const files = await screenshots(release, 'docs/charts');
  console.log(files.join('\n'));
}
