/**
 * Every chart kind at 320 and 960 px in headless Chromium with CJK fonts, as a newsroom's
 * iframe shows it: no text clipped by the chart's edge, no two texts overlapping. Also writes
 * the screenshots (tests/charts/screenshots.ts) into a temporary folder. Skips, saying so,
 * where Debian's chromium is not installed (.ci/run installs it).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { CHROMIUM, SHOTS, WIDTHS, screenshots, withApiInBrowser } from './screenshots.ts';
import { tempDirs } from '../temp.ts';

const tempDir = tempDirs();

const available = existsSync(CHROMIUM);
if (!available) console.warn(`skipping chart browser checks: ${CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)`);

interface Box {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

describe.runIf(available)('charts in a real browser', () => {
  it('screenshots of every kind at 320 and 960 px', { timeout: 180_000 }, async () => {
    const dir = tempDir('gongkai-shots-');
    const files = await screenshots(inject('demoRelease'), dir);
    expect(files).toHaveLength(SHOTS.length * WIDTHS.length);
    for (const f of files) expect(statSync(f).size).toBeGreaterThan(5000);
  });

  it('no text is clipped and no two texts overlap, at 320 and 960 px', { timeout: 180_000 }, async () => {
    const problems: string[] = [];
    await withApiInBrowser(inject('demoRelease'), async (base, browser) => {
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        for (const { kind, query } of SHOTS) {
          for (const lang of ['zh', 'en']) {
            await page.goto(`${base}/embed/${kind}?${query}&lang=${lang}`, { waitUntil: 'load' });
            const { svg, texts } = await page.evaluate(() => {
              const shown = [...document.querySelectorAll('.chart')].find((d) => getComputedStyle(d).display !== 'none')!.querySelector('svg')!;
              const r = shown.getBoundingClientRect();
              const boxes = [...shown.querySelectorAll('text')]
                .filter((t) => (t.textContent ?? '').trim())
                .map((t) => {
                  const b = t.getBoundingClientRect();
                  return { text: t.textContent!.trim(), x: b.x, y: b.y, w: b.width, h: b.height };
                });
              return { svg: { x: r.x, y: r.y, w: r.width, h: r.height }, texts: boxes };
            });
            const where = `${kind} ${lang} @${width}px`;
            for (const t of texts as Box[]) {
              if (t.x < svg.x - 1 || t.y < svg.y - 1 || t.x + t.w > svg.x + svg.w + 1 || t.y + t.h > svg.y + svg.h + 1) problems.push(`${where}: "${t.text}" is clipped`);
            }
            const list = texts as Box[];
            for (let i = 0; i < list.length; i++) {
              for (let j = i + 1; j < list.length; j++) {
                const a = list[i];
                const b = list[j];
                const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
                const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
                if (ox > 1 && oy > 2) problems.push(`${where}: "${a.text}" overlaps "${b.text}"`);
              }
            }
          }
        }
        await page.close();
      }
    });
    expect(problems).toEqual([]);
  });
});
