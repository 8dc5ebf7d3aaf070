/**
 * Tesseract (Debian's tesseract-ocr with the chi_sim model) as an OCR engine: the page goes to
 * `tesseract` on its standard input as a PGM, and its TSV output gives every word with its box
 * and confidence. Optional: without the program or the Chinese model the engine is unavailable
 * and says how to install it.
 */
import { execFile, execFileSync } from 'node:child_process';
import type { Gray } from './ocr-image.ts';
import type { OcrEngine, OcrLine } from './ocr.ts';

/**
 * One uniform block of text (--psm 6). Of Tesseract's page segmentations, on the scanned table 3
 * of tests/fixtures/office/city-2025-scan.pdf this read the fewest numbers wrong (2 of 175;
 * automatic, 3: 5, sparse text, 11: 4), though automatic read more of them (93 against 82).
 */
const PAGE_SEGMENTATION = '6';
const LANGUAGES = 'chi_sim';

/** Words of a line whose boxes overlap this much vertically are one line of the page. */
const SAME_LINE = 0.5;

function pgm(img: Gray): Buffer {
  const header = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, 'latin1');
  return Buffer.concat([header, Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength)]);
}

interface TsvWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
}

/** Tesseract's TSV: one row per page, block, paragraph, line and word; words are level 5. */
export function wordsOfTsv(tsv: string): TsvWord[] {
  const out: TsvWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5' || !f[11].trim()) continue;
    out.push({ left: +f[6], top: +f[7], width: +f[8], height: +f[9], confidence: Math.max(0, +f[10]) / 100, text: f[11].trim() });
  }
  return out;
}

/**
 * Words → lines: words whose boxes overlap vertically by more than SAME_LINE of the smaller
 * are on one line. Sparse segmentation reports words one by one, so lines are rebuilt here.
 */
export function linesOfWords(words: TsvWord[]): OcrLine[] {
  const lines: { y0: number; y1: number; words: TsvWord[] }[] = [];
  for (const w of words.slice().sort((a, b) => a.top + a.height / 2 - (b.top + b.height / 2))) {
    const y0 = w.top;
    const y1 = w.top + w.height;
    const line = lines.find((l) => Math.min(l.y1, y1) - Math.max(l.y0, y0) > SAME_LINE * Math.min(l.y1 - l.y0, y1 - y0));
    if (line) {
      line.words.push(w);
      line.y0 = Math.min(line.y0, y0);
      line.y1 = Math.max(line.y1, y1);
    } else lines.push({ y0, y1, words: [w] });
  }
  return lines.map((l) => {
    const sorted = l.words.sort((a, b) => a.left - b.left);
    // An ideograph's box is about an em high; digits are shorter.
    const em = Math.max(...sorted.map((w) => (/[\u4e00-\u9fff]/.test(w.text) ? w.height : w.height / 0.75)));
    return {
      x0: sorted[0].left,
      x1: Math.max(...sorted.map((w) => w.left + w.width)),
      y0: l.y0,
      y1: l.y1,
      textHeight: em,
      glyphs: sorted.map((w) => ({ text: w.text, x0: w.left, x1: w.left + w.width, confidence: w.confidence })),
    };
  });
}

export class TesseractEngine implements OcrEngine {
  readonly name = 'tesseract';
  private constructor(
    readonly id: string,
    private readonly threads: number,
  ) {}

  static async load(threads: number): Promise<TesseractEngine | string> {
    let version: string;
    let languages: string;
    try {
      version = execFileSync('tesseract', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0].trim();
      languages = execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      return 'tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)';
    }
    if (!/^chi_sim$/m.test(languages)) return "tesseract's Chinese model is not installed (apt-get install tesseract-ocr-chi-sim)";
    return new TesseractEngine(version.replace(/\s+/g, '-'), threads);
  }

  read(page: Gray, dpi: number): Promise<OcrLine[]> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'tesseract',
        ['stdin', 'stdout', '-l', LANGUAGES, '--psm', PAGE_SEGMENTATION, '--dpi', String(Math.round(dpi)), 'tsv'],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, OMP_THREAD_LIMIT: String(this.threads) } },
        (err, stdout) => (err ? reject(new Error(`tesseract failed: ${err.message}`)) : resolve(linesOfWords(wordsOfTsv(stdout)))),
      );
      child.stdin!.end(pgm(page));
    });
  }

  async close(): Promise<void> {}
}
