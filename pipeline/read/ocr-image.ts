/**
 * A scanned page as a grey raster, and what is done to it before text is read: turning it
 * straight (scanners and phone photos tilt pages by a degree or two), finding the table's ruling
 * lines (they say where one cell ends and the next begins) and wiping them out (a rule read as
 * text is a "1" or an "l" that was never printed), cropping and resizing. Pure functions over
 * typed arrays: no image library is needed for any of it.
 */

/** 8-bit grey pixels, row by row from the top; 0 is black, 255 white. */
export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** How a page image's pixels are laid out (pdfjs's ImageKind: 1 bit grey, RGB, RGBA). */
export type PixelKind = 'gray1' | 'rgb' | 'rgba' | 'gray';

export function toGray(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, kind: PixelKind): Gray {
  const data = new Uint8Array(width * height);
  if (kind === 'gray') data.set(pixels.subarray(0, width * height));
  else if (kind === 'gray1') {
    // Rows padded to whole bytes; a set bit is white (pdfjs has applied /Decode already).
    const stride = (width + 7) >> 3;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = pixels[y * stride + (x >> 3)] & (0x80 >> (x & 7)) ? 255 : 0;
  } else {
    const step = kind === 'rgb' ? 3 : 4;
    // The red channel: it sees black text and rules as dark and red ink — a seal, a red
    // letterhead — as light, so a seal stamped across a table fades out while the text and rules
    // under it (dark in every channel) stay dark. Light, clearly red pixels are paper outright.
    for (let i = 0, p = 0; i < data.length; i++, p += step) {
      const r = pixels[p];
      data[i] = r > 140 && r - Math.max(pixels[p + 1], pixels[p + 2]) > 50 ? 255 : r;
    }
  }
  return { width, height, data };
}

/** The grey level between ink and paper (Otsu's threshold over the histogram). */
export function inkThreshold(img: Gray): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  const total = img.data.length;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += v * hist[v];
  let below = 0;
  let sumBelow = 0;
  let best = 128;
  let bestScore = -1;
  for (let t = 0; t < 255; t++) {
    below += hist[t];
    sumBelow += t * hist[t];
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const d = sumBelow / below - (sum - sumBelow) / above;
    const score = below * above * d * d;
    if (score > bestScore) {
      bestScore = score;
      best = t;
    }
  }
  return best;
}

/** The grey of the paper: the median pixel (most of a page is paper). */
export function paperLevel(img: Gray): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]]++;
  for (let v = 0, seen = 0; v < 256; v++) if ((seen += hist[v]) >= img.data.length / 2) return v;
  return 255;
}

/** Dark pixels of a raster shrunk by `factor` (a cell holding any ink is ink), as x/y lists. */
function inkPoints(img: Gray, factor: number, threshold: number): { xs: Int32Array; ys: Int32Array; width: number; height: number } {
  const w = Math.ceil(img.width / factor);
  const h = Math.ceil(img.height / factor);
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    const cellRow = Math.floor(y / factor) * w;
    for (let x = 0; x < img.width; x++) if (img.data[row + x] < threshold) ink[cellRow + Math.floor(x / factor)] = 1;
  }
  let n = 0;
  for (let i = 0; i < ink.length; i++) n += ink[i];
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  for (let i = 0, k = 0; i < ink.length; i++) {
    if (!ink[i]) continue;
    xs[k] = i % w;
    ys[k++] = Math.floor(i / w);
  }
  return { xs, ys, width: w, height: h };
}

/** How sharply the ink falls into rows when the page is read at `degrees`: rows of text and rules peak. */
function rowSharpness(points: { xs: Int32Array; ys: Int32Array; width: number; height: number }, degrees: number): number {
  const slope = Math.tan((degrees * Math.PI) / 180);
  const pad = Math.ceil(Math.abs(slope) * points.width) + 1;
  const hist = new Float64Array(points.height + 2 * pad);
  for (let i = 0; i < points.xs.length; i++) hist[Math.round(points.ys[i] - points.xs[i] * slope) + pad]++;
  let score = 0;
  for (let i = 0; i < hist.length; i++) score += hist[i] * hist[i];
  return score;
}

/** The best angle in [from, to] by `step`, for the ink points given. */
function sharpestAngle(points: Parameters<typeof rowSharpness>[0], from: number, to: number, step: number): number {
  let best = 0;
  let bestScore = -1;
  for (let a = from; a <= to + 1e-9; a += step) {
    const score = rowSharpness(points, a);
    // Ties (a blank page) go to the angle nearest 0.
    if (score > bestScore * (1 + 1e-9) || (Math.abs(score - bestScore) <= bestScore * 1e-9 && Math.abs(a) < Math.abs(best))) {
      best = a;
      bestScore = score;
    }
  }
  return best;
}

/** Tilts beyond this are a page scanned sideways or a photograph, not a slightly crooked scan. */
export const MAX_SKEW = 3;

/**
 * The page's tilt in degrees, clockwise as it looks (rows of text run down to the right): the
 * angle at which the ink falls most sharply into rows, searched coarsely on a small copy of the
 * page, then finely on a larger one.
 */
export function skewAngle(img: Gray, threshold = inkThreshold(img)): number {
  const coarse = inkPoints(img, Math.max(1, Math.round(img.width / 400)), threshold);
  if (coarse.xs.length < 50) return 0;
  const rough = sharpestAngle(coarse, -MAX_SKEW, MAX_SKEW, 0.2);
  const fine = inkPoints(img, Math.max(1, Math.round(img.width / 1000)), threshold);
  return sharpestAngle(fine, rough - 0.2, rough + 0.2, 0.02);
}

/**
 * The page turned counter-clockwise by `degrees` about its centre (undoing a clockwise tilt),
 * on a canvas of the same size, with white where nothing was scanned. Bilinear sampling.
 */
export function rotate(img: Gray, degrees: number): Gray {
  if (Math.abs(degrees) < 1e-6) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let v = 0; v < h; v++) {
    const dv = v - cy;
    // Where output pixel (u, v) was on the tilted page: the tilt applied to the upright point.
    let x = -cx * cos - dv * sin + cx;
    let y = -cx * sin + dv * cos + cy;
    for (let u = 0; u < w; u++, x += cos, y += sin) {
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) {
        out[v * w + u] = 255;
        continue;
      }
      const fx = x - x0;
      const fy = y - y0;
      const i = y0 * w + x0;
      const top = data[i] + (data[i + 1] - data[i]) * fx;
      const bottom = data[i + w] + (data[i + w + 1] - data[i + w]) * fx;
      out[v * w + u] = Math.round(top + (bottom - top) * fy);
    }
  }
  return { width: w, height: h, data: out };
}

/** A ruling line: vertical ones at x `at` (their left and right edge), from y `from` to `to`; horizontal ones the other way round. */
export interface Rule {
  at: number;
  thickness: number;
  from: number;
  to: number;
}

export interface Rules {
  vertical: Rule[];
  horizontal: Rule[];
}

/**
 * Runs of ink along one direction that are at least `minLength` long (gaps up to `gap` pixels
 * bridged), in every line of pixels; adjacent lines with overlapping runs are one rule.
 */
function runsAlong(img: Gray, vertical: boolean, minLength: number, threshold: number, gap: number): Rule[] {
  const { width: w, height: h, data } = img;
  const lines = vertical ? w : h;
  const length = vertical ? h : w;
  const at = (line: number, pos: number) => (vertical ? data[pos * w + line] : data[line * w + pos]);
  // A line counts as ink where it or a neighbour is dark: a rule left a hair off straight
  // wanders between lines of pixels.
  const dark = (line: number, pos: number) => at(line, pos) < threshold || (line + 1 < lines && at(line + 1, pos) < threshold) || (line + 2 < lines && at(line + 2, pos) < threshold);
  const found: Rule[] = [];
  for (let line = 0; line < lines; line++) {
    let start = -1;
    let lastInk = -1;
    for (let pos = 0; pos <= length; pos++) {
      const ink = pos < length && dark(line, pos);
      if (ink) {
        if (start < 0) start = pos;
        lastInk = pos;
      } else if (start >= 0 && (pos - lastInk > gap || pos === length)) {
        if (lastInk - start + 1 >= minLength) found.push({ at: line, thickness: 1, from: start, to: lastInk });
        start = -1;
      }
    }
  }
  // Merge runs of neighbouring lines that overlap into one rule.
  found.sort((a, b) => a.from - b.from || a.at - b.at);
  const rules: Rule[] = [];
  for (const run of found) {
    const rule = rules.find((r) => run.at >= r.at && run.at <= r.at + r.thickness && run.from <= r.to && run.to >= r.from);
    if (rule) {
      rule.thickness = Math.max(rule.thickness, run.at - rule.at + 1);
      rule.from = Math.min(rule.from, run.from);
      rule.to = Math.max(rule.to, run.to);
    } else rules.push({ ...run });
  }
  return rules.filter((r) => alone(img, r, vertical, threshold)).sort((a, b) => a.at - b.at || a.from - b.from);
}

/** Pixels beside a rule, this far off its edge, are looked at to tell it from a row of text. */
const BESIDE = 3;

/**
 * A rule stands alone: beside it, on both sides along most of its length, is paper. A row of
 * ideographs whose top strokes line up makes a long run of ink too, but the rest of the
 * characters lie beside it.
 */
function alone(img: Gray, rule: Rule, vertical: boolean, threshold: number): boolean {
  const { width: w, height: h, data } = img;
  const across = vertical ? w : h;
  const before = rule.at - BESIDE;
  const after = rule.at + rule.thickness - 1 + BESIDE;
  if (before < 0 || after >= across) return true;
  let crowded = 0;
  let n = 0;
  for (let pos = rule.from; pos <= rule.to; pos += 2, n++) {
    const a = vertical ? data[pos * w + before] : data[before * w + pos];
    const b = vertical ? data[pos * w + after] : data[after * w + pos];
    if (a < threshold || b < threshold) crowded++;
  }
  return crowded <= 0.35 * n;
}

/**
 * A rule followed on past the ends of its long run, across gaps of up to `gap` pixels: a thin
 * scanned line fades in places, and what is left of it beyond a gap is too short to be found
 * on its own, yet is read as an "I" or a "-" if left on the page.
 */
function extend(img: Gray, rule: Rule, vertical: boolean, threshold: number, gap: number): Rule {
  const { width: w, height: h, data } = img;
  const length = vertical ? h : w;
  const across = vertical ? w : h;
  const inkAt = (pos: number) => {
    for (let k = rule.at - 1; k <= rule.at + rule.thickness; k++) {
      if (k < 0 || k >= across) continue;
      if ((vertical ? data[pos * w + k] : data[k * w + pos]) < threshold) return true;
    }
    return false;
  };
  let from = rule.from;
  for (let pos = rule.from - 1, miss = 0; pos >= 0 && miss <= gap; pos--) {
    if (inkAt(pos)) {
      from = pos;
      miss = 0;
    } else miss++;
  }
  let to = rule.to;
  for (let pos = rule.to + 1, miss = 0; pos < length && miss <= gap; pos++) {
    if (inkAt(pos)) {
      to = pos;
      miss = 0;
    } else miss++;
  }
  return { ...rule, from, to };
}

/**
 * The table rules of an upright page. `lineHeight` is the height of a line of body text in
 * pixels: no stroke of a character is several lines long, a rule is.
 */
export function findRules(img: Gray, lineHeight: number, ink = inkThreshold(img)): Rules {
  const min = Math.max(8, Math.round(lineHeight * 2.5));
  // Rules are thin and often fainter than text: looked for halfway between ink and paper.
  const threshold = Math.round((ink + paperLevel(img)) / 2);
  // Found strictly (a row of ideographs has many strokes at one height, with small gaps), then followed loosely.
  const gap = Math.max(2, Math.round(lineHeight * 0.2));
  const along = (vertical: boolean, length: number) => runsAlong(img, vertical, length, threshold, 2).map((r) => extend(img, r, vertical, threshold, gap));
  return { vertical: along(true, min), horizontal: along(false, min * 2) };
}

/** The page with its rules painted white (a pixel either side too: the edges of a scanned line are grey). */
export function eraseRules(img: Gray, rules: Rules): Gray {
  const { width: w, height: h } = img;
  const data = img.data.slice();
  for (const r of rules.vertical) {
    for (let y = Math.max(0, r.from - 1); y <= Math.min(h - 1, r.to + 1); y++) {
      for (let x = Math.max(0, r.at - 1); x <= Math.min(w - 1, r.at + r.thickness + 1); x++) data[y * w + x] = 255;
    }
  }
  for (const r of rules.horizontal) {
    for (let y = Math.max(0, r.at - 1); y <= Math.min(h - 1, r.at + r.thickness + 1); y++) {
      for (let x = Math.max(0, r.from - 1); x <= Math.min(w - 1, r.to + 1); x++) data[y * w + x] = 255;
    }
  }
  return { width: w, height: h, data };
}

/**
 * Pixels lighter than `level` made paper-white: the grain of the paper and the scanner's noise,
 * and the faint ghost a red seal leaves after its red is taken out, are gone; strokes of text,
 * far darker, stay as they are.
 */
export function whiten(img: Gray, level: number): Gray {
  const data = img.data.slice();
  for (let i = 0; i < data.length; i++) if (data[i] > level) data[i] = 255;
  return { width: img.width, height: img.height, data };
}

/** A part of the raster (clipped to it). */
export function crop(img: Gray, x0: number, y0: number, x1: number, y1: number): Gray {
  const left = Math.max(0, Math.floor(x0));
  const top = Math.max(0, Math.floor(y0));
  const right = Math.min(img.width, Math.ceil(x1));
  const bottom = Math.min(img.height, Math.ceil(y1));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height && top + y < img.height; y++) {
    const from = (top + y) * img.width + left;
    data.set(img.data.subarray(from, from + Math.min(width, img.width - left)), y * width);
  }
  return { width, height, data };
}

/**
 * The raster at another size: averaged over the source pixels each target pixel covers when
 * shrinking (no pixel is skipped, so thin strokes survive), bilinear when growing.
 */
export function resize(img: Gray, width: number, height: number): Gray {
  const out = new Uint8Array(width * height);
  const sx = img.width / width;
  const sy = img.height / height;
  if (sx >= 1 && sy >= 1) {
    for (let v = 0; v < height; v++) {
      const y0 = Math.floor(v * sy);
      const y1 = Math.max(y0 + 1, Math.floor((v + 1) * sy));
      for (let u = 0; u < width; u++) {
        const x0 = Math.floor(u * sx);
        const x1 = Math.max(x0 + 1, Math.floor((u + 1) * sx));
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0, i = y * img.width + x0; x < x1; x++, i++) sum += img.data[i];
        out[v * width + u] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
    return { width, height, data: out };
  }
  for (let v = 0; v < height; v++) {
    const y = Math.min(img.height - 1, Math.max(0, (v + 0.5) * sy - 0.5));
    const ya = Math.floor(y);
    const yb = Math.min(img.height - 1, ya + 1);
    const fy = y - ya;
    for (let u = 0; u < width; u++) {
      const x = Math.min(img.width - 1, Math.max(0, (u + 0.5) * sx - 0.5));
      const xa = Math.floor(x);
      const xb = Math.min(img.width - 1, xa + 1);
      const fx = x - xa;
      const top = img.data[ya * img.width + xa] * (1 - fx) + img.data[ya * img.width + xb] * fx;
      const bottom = img.data[yb * img.width + xa] * (1 - fx) + img.data[yb * img.width + xb] * fx;
      out[v * width + u] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, data: out };
}

/** A rectangle of the page, in its pixels. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Ink the text boxes leave out, as boxes of its own: blots of ink of about a character's height
 * (0.35–1.6 em) outside every box, those within half an em of each other side by side taken
 * together. A detector trained on lines of text passes over a lone thin digit (a "1" alone in
 * a cell of a light scan); what it passes over is read here. Specks of noise are too small to
 * count.
 */
export function uncoveredInk(img: Gray, boxes: readonly Rect[], em: number, threshold: number): Rect[] {
  const f = Math.max(1, Math.round(em / 12));
  const w = Math.ceil(img.width / f);
  const h = Math.ceil(img.height / f);
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0, i = y * img.width; x < img.width; x++, i++) if (img.data[i] < threshold) ink[Math.floor(y / f) * w + Math.floor(x / f)] = 1;
  }
  for (const b of boxes) {
    for (let y = Math.max(0, Math.floor(b.y0 / f)); y < Math.min(h, Math.ceil(b.y1 / f)); y++) {
      for (let x = Math.max(0, Math.floor(b.x0 / f)); x < Math.min(w, Math.ceil(b.x1 / f)); x++) ink[y * w + x] = 0;
    }
  }
  // Blots: 8-connected ink cells.
  const blots: (Rect & { cells: number })[] = [];
  const stack = new Int32Array(w * h);
  for (let start = 0; start < ink.length; start++) {
    if (ink[start] !== 1) continue;
    let top = 0;
    stack[top++] = start;
    ink[start] = 2;
    const blot = { x0: w, y0: h, x1: -1, y1: -1, cells: 0 };
    while (top > 0) {
      const i = stack[--top];
      const x = i % w;
      const y = (i - x) / w;
      blot.x0 = Math.min(blot.x0, x);
      blot.x1 = Math.max(blot.x1, x);
      blot.y0 = Math.min(blot.y0, y);
      blot.y1 = Math.max(blot.y1, y);
      blot.cells++;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          if (ink[j] === 1) {
            ink[j] = 2;
            stack[top++] = j;
          }
        }
      }
    }
    blots.push({ x0: blot.x0 * f, y0: blot.y0 * f, x1: (blot.x1 + 1) * f, y1: (blot.y1 + 1) * f, cells: blot.cells });
  }
  // Side by side within half an em, overlapping in height: one word.
  blots.sort((a, b) => a.x0 - b.x0);
  const words: Rect[] = [];
  for (const b of blots) {
    if (b.y1 - b.y0 < 0.35 * em || b.cells * f * f < 0.02 * em * em) continue;
    const near = words.find((w) => b.x0 - w.x1 < 0.5 * em && Math.min(w.y1, b.y1) - Math.max(w.y0, b.y0) > 0.3 * em);
    if (near) {
      near.x1 = Math.max(near.x1, b.x1);
      near.y0 = Math.min(near.y0, b.y0);
      near.y1 = Math.max(near.y1, b.y1);
    } else words.push({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });
  }
  return words.filter((r) => r.y1 - r.y0 <= 1.6 * em && r.x1 - r.x0 <= 8 * em);
}

/** The smallest rectangle holding the ink (pixels darker than `ink`) inside `r`, or null when it holds none. */
/**
 * Where a page's content lies: the rows and columns holding at least a few pixels of ink (a
 * speck of noise holds fewer), grown by `margin` pixels. Null for a page without ink. What lies
 * outside — margins, the blank end of a last page — need not go through the detector, whose
 * cost grows with the area it is given.
 */
export function contentBounds(img: Gray, ink: number, margin: number): Rect | null {
  const rows = new Uint32Array(img.height);
  const cols = new Uint32Array(img.width);
  for (let y = 0, i = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++, i++) {
      if (img.data[i] >= ink) continue;
      rows[y]++;
      cols[x]++;
    }
  }
  const MIN_INK = 3;
  const first = (a: Uint32Array) => a.findIndex((n) => n >= MIN_INK);
  const last = (a: Uint32Array) => a.findLastIndex((n) => n >= MIN_INK);
  if (first(rows) < 0) return null;
  return {
    x0: Math.max(0, first(cols) - margin),
    y0: Math.max(0, first(rows) - margin),
    x1: Math.min(img.width, last(cols) + 1 + margin),
    y1: Math.min(img.height, last(rows) + 1 + margin),
  };
}

export function inkBounds(img: Gray, r: Rect, ink: number): Rect | null {
  const x0 = Math.max(0, Math.floor(r.x0));
  const y0 = Math.max(0, Math.floor(r.y0));
  const x1 = Math.min(img.width, Math.ceil(r.x1));
  const y1 = Math.min(img.height, Math.ceil(r.y1));
  let left = Infinity;
  let right = -1;
  let top = Infinity;
  let bottom = -1;
  for (let y = y0; y < y1; y++) {
    for (let x = x0, i = y * img.width + x0; x < x1; x++, i++) {
      if (img.data[i] >= ink) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? null : { x0: left, y0: top, x1: right + 1, y1: bottom + 1 };
}
