/**
 * Scanned reports for the corpus: the print-ready PDF (office.ts) printed and scanned again —
 * rasterized at 150–300 dpi, tilted a little, with sensor noise and JPEG compression, in grey or
 * in colour, some with an official seal (公章) stamped in red across part of a table — and
 * put back into a PDF of page images only, as agencies' scans are.
 *
 * Which cells the seal covers is measured, not guessed: the same PDF is rasterized once more
 * without anti-aliasing, where every value cell's digits carry a colour of their own (a shade
 * of near-black, set in the HTML), so each pixel under the seal's ink names the cell it
 * belongs to. Those cells are the truth's `unreadable`: a reader must print null there, or the
 * true value.
 *
 * The look of each scan is drawn by the pure core (scanLook); the shell runs pdftoppm
 * (poppler-utils), ImageMagick's convert and img2pdf. Only when asked for (--styles scan).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors.ts';
import type { Rng } from './random.ts';
import type { ValueText } from './render-text.ts';

export interface ScanLook {
  dpi: number;
  /** A colour scan (the seal stays red) or a grey one (the seal turns grey). */
  color: boolean;
  /** Clockwise tilt in degrees. */
  tilt: number;
  /** ImageMagick's -attenuate for Gaussian noise. */
  noise: number;
  /** JPEG quality. */
  quality: number;
  /** The seal: centred on a printed value cell (`at` picks which, 0–1), shifted by dx, dy radii. */
  stamp: { at: number; dx: number; dy: number; text: string } | null;
}

/** A scan to make: the look, and the value cells of the rendering in the order of their colours. */
export interface ScanRecipe {
  look: ScanLook;
  cells: string[];
}

export function scanLook(rng: Rng, sealText: string): ScanLook {
  const stamped = rng.chance(0.6);
  return {
    dpi: rng.weighted([
      [150, 30],
      [200, 50],
      [300, 20],
    ]),
    color: rng.chance(0.4),
    tilt: (rng.chance(0.5) ? 1 : -1) * (0.1 + rng.next() * 1.1),
    noise: 0.1 + rng.next() * 0.4,
    quality: rng.int(45, 85),
    stamp: stamped ? { at: rng.next(), dx: rng.next() - 0.5, dy: rng.next() - 0.5, text: sealText } : null,
  };
}

export function scanQuirks(look: ScanLook): string[] {
  return ['scan', `scan_${look.dpi}dpi`, look.color ? 'scan_color' : 'scan_gray', ...(look.stamp ? ['stamp'] : [])];
}

/** Value cell n's colour: a near-black of its own (components 8–44), so that the scan looks black. */
export function cellColor(n: number): [number, number, number] {
  return [8 + (n % 10) * 4, 8 + (Math.floor(n / 10) % 10) * 4, 8 + Math.floor(n / 100) * 4];
}

const hex = (c: [number, number, number]) => `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
const MARK = /\u2983(\d+)\u2984([^<\u2983]*)/g;

/**
 * The value text of a rendering with each printed value marked, and the cells in the order
 * marked; `colorValues` turns the marks in the rendered HTML into font colours.
 */
export function markValues(value: ValueText): { value: ValueText; cells: string[] } {
  const cells: string[] = [];
  return {
    cells,
    value: (table, row, column) => {
      const text = value(table, row, column);
      if (!text.trim()) return text;
      cells.push(`${table}.${row}.${column}`);
      return `\u2983${cells.length}\u2984${text}`;
    },
  };
}

export function colorValues(html: string): string {
  return html.replace(MARK, (_m, n: string, text: string) => `<font color="${hex(cellColor(Number(n)))}">${text}</font>`);
}

// The shell -----------------------------------------------------------------------------------

const TOOLS: [string, string[], string][] = [
  ['pdftoppm', ['-v'], 'poppler-utils'],
  ['convert', ['-version'], 'imagemagick'],
  ['img2pdf', ['--version'], 'img2pdf'],
];

export function requireScanTools(): void {
  for (const [tool, args, pkg] of TOOLS) {
    if (spawnSync(tool, args, { stdio: 'ignore', timeout: 30_000 }).status !== 0) throw new CliError(`synth: the scan style needs ${tool} (apt-get install ${pkg})`);
  }
}

interface Raster {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

/** A binary PPM (P6) or PGM (P5). */
function readPnm(file: string): Raster {
  const buf = readFileSync(file);
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[at]))) at++;
    if (buf[at] === 35) {
      while (buf[at] !== 10) at++;
      continue;
    }
    let s = '';
    while (!/\s/.test(String.fromCharCode(buf[at]))) s += String.fromCharCode(buf[at++]);
    fields.push(s);
  }
  const channels = fields[0] === 'P6' ? 3 : 1;
  return { width: Number(fields[1]), height: Number(fields[2]), channels, data: buf.subarray(at + 1) };
}

/** Pixels of each marked cell on a page rendered without anti-aliasing: cell number → pixel indexes. */
function cellPixels(map: Raster, count: number): Map<number, number[]> {
  const byColor = new Map<number, number>();
  for (let n = 1; n <= count; n++) {
    const [r, g, b] = cellColor(n);
    byColor.set((r << 16) | (g << 8) | b, n);
  }
  const out = new Map<number, number[]>();
  for (let i = 0, p = 0; i < map.width * map.height; i++, p += 3) {
    const n = byColor.get((map.data[p] << 16) | (map.data[p + 1] << 8) | map.data[p + 2]);
    if (n !== undefined) (out.get(n) ?? out.set(n, []).get(n)!).push(i);
  }
  return out;
}

const SEAL_RED = 'rgb(212,38,46)';
const MM = 1 / 25.4;

/** The convert arguments that draw a seal on a white square of side `size` px. */
export function sealDrawing(size: number, dpi: number, text: string): string[] {
  const c = size / 2;
  const r = 20 * MM * dpi;
  const ring = Math.max(2, Math.round(1.1 * MM * dpi));
  const star = r * 0.32;
  const points = Array.from({ length: 10 }, (_, i) => {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const d = i % 2 ? star * 0.4 : star;
    return `${(c + d * Math.cos(a)).toFixed(1)},${(c + d * Math.sin(a)).toFixed(1)}`;
  });
  const chars = [...text];
  const pt = Math.round(r * 0.3);
  const draws = chars.map((ch, i) => {
    // Characters along the upper arc, from left to right, each turned to face the centre.
    const a = -Math.PI / 2 + ((i - (chars.length - 1) / 2) * (Math.PI * 1.25)) / Math.max(1, chars.length - 1);
    const x = c + (r - ring - pt * 0.7) * Math.cos(a);
    const y = c + (r - ring - pt * 0.7) * Math.sin(a);
    return ['-draw', `translate ${x.toFixed(1)},${y.toFixed(1)} rotate ${((a * 180) / Math.PI + 90).toFixed(1)} text ${-pt / 2},${pt / 2} '${ch}'`];
  });
  return [
    '-size', `${size}x${size}`, 'xc:white',
    '-fill', 'none', '-stroke', SEAL_RED, '-strokewidth', String(ring), '-draw', `circle ${c},${c} ${c},${c - r + ring / 2}`,
    '-stroke', 'none', '-fill', SEAL_RED, '-draw', `polygon ${points.join(' ')}`,
    '-font', SEAL_FONT, '-pointsize', String(pt), ...draws.flat(),
  ];
}

const SEAL_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';

/**
 * ImageMagick's random seed for a page's noise, from the report's look: without one it seeds
 * from the clock, and the same corpus would scan differently on every run.
 */
const noiseSeed = (look: ScanLook, page: number) => (Math.floor(look.noise * 1e9) + page) % 2147483647;

function run(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
}

/**
 * Makes the scan of `pdf` into `target` and returns the cells the seal covers. `pdf` is the
 * print-ready PDF whose value cells are coloured (colorValues).
 */
export function scanPdf(pdf: string, target: string, recipe: ScanRecipe): string[] {
  const { look, cells } = recipe;
  const work = mkdtempSync(join(tmpdir(), 'gongkai-scan-'));
  try {
    run('pdftoppm', ['-r', String(look.dpi), ...(look.color ? [] : ['-gray']), '-png', pdf, 'page'], work);
    run('pdftoppm', ['-r', String(look.dpi), '-aa', 'no', '-aaVector', 'no', pdf, 'map'], work);
    const pages = readdirSync(work).filter((f) => /^page-\d+\.png$/.test(f)).sort();
    const maps = readdirSync(work).filter((f) => /^map-\d+\.ppm$/.test(f)).sort();
    const unreadable = new Set<string>();
    let stampPage = -1;
    let stampAt: [number, number] = [0, 0];
    const size = Math.round(44 * MM * look.dpi);
    if (look.stamp) {
      // The seal goes on a printed value: the `at`-th of all value cells found on the pages.
      const found = maps.flatMap((m, page) => {
        const raster = readPnm(join(work, m));
        return [...cellPixels(raster, cells.length)].map(([n, px]) => ({ page, n, px, width: raster.width }));
      });
      if (found.length) {
        const target = found[Math.floor(look.stamp.at * found.length)];
        const xs = target.px.map((i) => i % target.width);
        const ys = target.px.map((i) => Math.floor(i / target.width));
        const r = 20 * MM * look.dpi;
        const cx = (Math.min(...xs) + Math.max(...xs)) / 2 + look.stamp.dx * r;
        const cy = (Math.min(...ys) + Math.max(...ys)) / 2 + look.stamp.dy * r;
        stampPage = target.page;
        stampAt = [Math.round(cx - size / 2), Math.round(cy - size / 2)];
        run('convert', [...sealDrawing(size, look.dpi, look.stamp.text), 'seal.png'], work);
        run('convert', ['seal.png', '-colorspace', 'Gray', 'seal.pgm'], work);
        const seal = readPnm(join(work, 'seal.pgm'));
        // Under the seal: any pixel of a cell within two pixels of its ink.
        const reach = 2;
        for (const f of found.filter((c) => c.page === stampPage)) {
          const hit = f.px.some((i) => {
            const x = (i % f.width) - stampAt[0];
            const y = Math.floor(i / f.width) - stampAt[1];
            for (let dy = -reach; dy <= reach; dy++) {
              for (let dx = -reach; dx <= reach; dx++) {
                const sx = x + dx;
                const sy = y + dy;
                if (sx >= 0 && sy >= 0 && sx < seal.width && sy < seal.height && seal.data[sy * seal.width + sx] < 235) return true;
              }
            }
            return false;
          });
          if (hit) unreadable.add(cells[f.n - 1]);
        }
      }
    }
    const jpegs = pages.map((page, i) => {
      const out = `scan-${String(i + 1).padStart(3, '0')}.jpg`;
      const seal = i === stampPage ? ['seal.png', '-geometry', `+${stampAt[0]}+${stampAt[1]}`, '-compose', 'Multiply', '-composite'] : [];
      run('convert', [page, ...seal, ...(look.color ? [] : ['-colorspace', 'Gray']), '-background', 'white', '-rotate', look.tilt.toFixed(2), '-seed', String(noiseSeed(look, i)), '-attenuate', look.noise.toFixed(2), '+noise', 'Gaussian', '-density', String(look.dpi), '-units', 'PixelsPerInch', '-quality', String(look.quality), out], work);
      return out;
    });
    run('img2pdf', ['--nodate', '--engine', 'internal', ...jpegs, '-o', target], work);
    return [...unreadable].sort();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
