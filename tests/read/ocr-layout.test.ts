/**
 * What OCR does before and after the engine, on rasters and lines made here: a tilted page
 * turned straight, table rules found and wiped out, lone digits the detector passes over
 * boxed, and an engine's lines cut into the words of a text layer — at rules and gaps, a
 * number wrapped in its narrow cell joined, a seal's characters and specks dropped.
 */
import { describe, expect, it } from 'vitest';
import { eraseRules, findRules, rotate, skewAngle, toGray, uncoveredInk, type Gray, type Rules } from '../../pipeline/read/ocr-image.ts';
import { decodeSteps } from '../../pipeline/read/ocr-paddle.ts';
import { dropSealText, joinWrappedNumbers, splitLine, toPieces, type OcrLine } from '../../pipeline/read/ocr-words.ts';

/** A white page with black rectangles. */
function page(width: number, height: number, rects: [number, number, number, number][]): Gray {
  const data = new Uint8Array(width * height).fill(240);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 20;
  return { width, height, data };
}

/** A ruled table of 3 × 4 cells with a short bar (a digit's stroke) in each cell. */
function table(): Gray {
  const rects: [number, number, number, number][] = [];
  for (let i = 0; i <= 3; i++) rects.push([100 + i * 150, 100, 102 + i * 150, 500]);
  for (let j = 0; j <= 4; j++) rects.push([100, 100 + j * 100, 552, 102 + j * 100]);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) rects.push([170 + i * 150, 135 + j * 100, 174 + i * 150, 165 + j * 100]);
  return page(650, 600, rects);
}

describe('the page raster', () => {
  it('finds a tilt of a degree or so, and turns the page back', () => {
    const tilted = rotate(table(), -0.8);
    expect(Math.abs(skewAngle(tilted) - 0.8)).toBeLessThan(0.1);
    expect(Math.abs(skewAngle(rotate(tilted, skewAngle(tilted))))).toBeLessThan(0.1);
  });

  it('finds the rules of a table and wipes them out, leaving the text', () => {
    const img = table();
    const rules = findRules(img, 30);
    const centres = (list: { at: number; thickness: number }[]) => list.map((r) => Math.round(r.at + r.thickness / 2));
    expect(centres(rules.vertical)).toEqual([100, 250, 400, 550]);
    expect(centres(rules.horizontal)).toEqual([100, 200, 300, 400, 500]);
    const clean = eraseRules(img, rules);
    expect(clean.data[300 * 650 + 250]).toBe(255);
    expect(clean.data[150 * 650 + 172]).toBe(20);
  });

  it('boxes ink the detector left out, and not specks of noise', () => {
    const img = page(400, 200, [
      [50, 50, 54, 80],
      [200, 50, 230, 80],
      [300, 120, 301, 121],
    ]);
    // Found on a raster a twelfth of an em to the pixel: the box holds the ink, a few pixels wide of it.
    const [box, ...more] = uncoveredInk(img, [{ x0: 190, y0: 40, x1: 240, y1: 90 }], 30, 128);
    expect(more).toEqual([]);
    for (const [got, ink] of [[box.x0, 50], [box.y0, 50], [box.x1, 54], [box.y1, 80]]) expect(Math.abs(got - ink)).toBeLessThanOrEqual(3);
  });

  it('reads red ink (a seal) as paper, and black, and black under red, as dark', () => {
    const rgb = new Uint8Array([220, 30, 40, 20, 20, 20, 18, 3, 4, 250, 250, 250]);
    expect([...toGray(rgb, 4, 1, 'rgb').data]).toEqual([255, 20, 18, 250]);
  });
});

const glyphs = (text: string, x: number, step: number, confidence = 0.99) => [...text].map((t, i) => ({ text: t, x0: x + i * step, x1: x + i * step, confidence }));
const line = (y0: number, ...runs: ReturnType<typeof glyphs>[]): OcrLine => ({ x0: 0, x1: 600, y0, y1: y0 + 24, textHeight: 20, glyphs: runs.flat() });
const NO_RULES: Rules = { vertical: [], horizontal: [] };
const columns = (...xs: number[]): Rules => ({ vertical: xs.map((at) => ({ at, thickness: 2, from: 0, to: 1000 })), horizontal: [] });

describe('lines into words', () => {
  it('cuts a line at wide gaps and at the rules between cells; digits of one number stay together', () => {
    const l = line(100, glyphs('本年新收', 10, 20), glyphs('136', 200, 11), glyphs('0', 260, 11), glyphs('5', 290, 11));
    expect(splitLine(l, NO_RULES).map((w) => w.text)).toEqual(['本年新收', '136', '0', '5']);
    // Close together, but a rule between them: two cells.
    expect(splitLine(line(100, glyphs('12', 200, 11), glyphs('3', 230, 11)), NO_RULES).map((w) => w.text)).toEqual(['123']);
    expect(splitLine(line(100, glyphs('12', 200, 11), glyphs('3', 230, 11)), columns(226)).map((w) => w.text)).toEqual(['12', '3']);
  });

  it('drops a rule read as a letter, and specks; keeps a dash for a blank cell', () => {
    const l = line(100, glyphs('7', 200, 11), glyphs('I', 226, 11), glyphs('.', 240, 11), glyphs('—', 280, 11));
    expect(splitLine(l, columns(226)).map((w) => w.text)).toEqual(['7', '—']);
  });

  it("keeps each word's weakest confidence", () => {
    const l = line(100, [...glyphs('1', 200, 11, 0.97), ...glyphs('8', 211, 11, 0.61)]);
    expect(splitLine(l, NO_RULES)).toMatchObject([{ text: '18', confidence: 0.61 }]);
  });

  it("keeps a doubtful character's other readings, and the word's readings with it", () => {
    // Steps over the classes blank, 0, 1, 8: a sure 1, a blank, a 0 the engine was unsure of (8 next, or nothing).
    const probs = new Float32Array([0.01, 0.01, 0.97, 0.01, 0.97, 0.01, 0.01, 0.01, 0.15, 0.6, 0.01, 0.24]);
    const chars = decodeSteps(probs, 0, 3, 4, ['', '0', '1', '8']);
    expect(chars.map((c) => [c.text, c.alternatives])).toEqual([['1', undefined], ['0', ['8', '']]]);
    const glyphsOf = chars.map((c, i) => ({ text: c.text, x0: 200 + 11 * i, x1: 200 + 11 * i, confidence: c.confidence, alternatives: c.alternatives }));
    const [word] = splitLine(line(100, glyphsOf), NO_RULES);
    expect(word).toMatchObject({ text: '10', alternates: ['18', '1'] });
    expect(word.confidence).toBeCloseTo(0.6);
    expect(toPieces([word], { width: 1000, height: 1000, x0: 0, y0: 0, x1: 1000, y1: 1000 })[0].alternates).toEqual(['18', '1']);
  });

  it('joins a number wrapped inside its narrow ruled cell, between its two lines', () => {
    const rules = columns(100, 160);
    const words = [line(100, glyphs('1406', 110, 11)), line(124, glyphs('9', 125, 11)), line(112, glyphs('45', 200, 11))].flatMap((l) => splitLine(l, rules));
    const joined = joinWrappedNumbers(words, rules);
    expect(joined.map((w) => w.text).sort()).toEqual(['14069', '45']);
    expect(joined.find((w) => w.text === '14069')!.y1).toBe(136);
  });

  it("drops characters far taller than the table's own inside its cells: a seal's", () => {
    const rules = columns(100, 300);
    const words = [line(100, glyphs('12', 150, 11)), line(130, glyphs('3', 150, 11)), { ...line(110, glyphs('府', 200, 40)), textHeight: 44 }].flatMap((l) => splitLine(l, rules));
    expect(dropSealText(words, rules).map((w) => w.text)).toEqual(['12', '3']);
  });

  it('places words on the PDF page: x from the left, baselines from the bottom, sizes in points', () => {
    const [piece] = toPieces(splitLine(line(1000, glyphs('42', 400, 11)), NO_RULES), { width: 2000, height: 2000, x0: 0, y0: 0, x1: 1000, y1: 1000 });
    expect(piece).toMatchObject({ text: '42', size: 10, confidence: 0.99 });
    expect(piece.x0).toBeCloseTo(197.2, 1);
    expect(piece.y).toBeCloseTo(1000 - (1012 + 7) / 2, 5);
  });
});
