/**
 * Web pages printed to PDF by headless Chromium, as a reader's browser prints them: A4 with the
 * margins and margin boxes (date, title, address, page count) of the page's own @page rule, no
 * backgrounds. One browser prints the whole batch (launching one per page costs more than the
 * printing). Offline: every request that is not for a local file is refused.
 */
import { accessSync, constants, renameSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../errors.ts';
import type { Conversion } from './office.ts';

const INSTALL = 'apt-get install chromium fonts-noto-cjk';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** The Chromium executable on the PATH, or null. */
export function findChromium(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export function requireChromium(): string {
  const path = findChromium();
  if (!path) throw new CliError(`synth: the pdf-chromium style needs Chromium on the PATH (${INSTALL})`);
  return path;
}

async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch {
    throw new CliError('synth: the pdf-chromium style drives Chromium through playwright-core, a development dependency: install it with npm ci (without --omit=dev)');
  }
}

/** Prints each job's HTML to its target PDF. The HTML files are removed. */
export async function printAll(jobs: Conversion[]): Promise<void> {
  const executablePath = requireChromium();
  const { chromium } = await loadPlaywright();
  const browser = await chromium.launch({ executablePath, args: FLAGS, headless: true });
  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    for (const job of jobs) {
      await page.goto(pathToFileURL(job.html).href, { waitUntil: 'load', timeout: 60_000 });
      const tmp = `${job.target}.tmp-${process.pid}`;
      await page.pdf({ path: tmp, preferCSSPageSize: true, printBackground: false });
      renameSync(tmp, job.target);
      rmSync(job.html, { force: true });
    }
  } finally {
    await browser.close();
  }
}
