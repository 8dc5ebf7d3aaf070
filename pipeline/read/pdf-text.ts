/**
 * The words of a PDF's text layer, read directly: the file's objects, the page contents and
 * each font's ToUnicode map and widths, which is all that text extraction needs. pdfjs also
 * converts every embedded font program (it is built to render them), and that conversion is
 * most of its time on reports, whose subset CJK fonts differ in every file; this reader never
 * opens a font program, and is an order of magnitude faster.
 *
 * It covers what office suites write: classic and stream cross-reference tables, object
 * streams, Flate streams, simple fonts with /Widths and Identity-H composite fonts, each with a
 * ToUnicode map, upright text. Anything else (encryption, other filters, a font without
 * ToUnicode, Type3 or vertical fonts, turned text, characters pdfjs would normalise or reorder,
 * a damaged file) is reported as a fallback, and pdf.ts reads that file with pdfjs.
 *
 * Words are placed where each glyph's advance puts them, so a line keeps the exact gaps between
 * its words (pdfjs spreads an item's width evenly over its characters).
 */
import { constants, inflateSync } from 'node:zlib';
import { InputError } from '../errors.ts';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../model/limits.ts';

export type PdfLimits = Pick<FileLimits, 'pdfPages' | 'pdfPageTree'>;

/** A word: glyphs that touch on one baseline, at its position in user space. */
export interface Piece {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** The word runs on past the page's right edge: what the file holds of it is cut short. */
  cut?: boolean;
  /** Read by OCR: the engine's confidence in its weakest character, 0–1. */
  confidence?: number;
  /** Read by OCR: the text with one doubtful character read as the engine's second choice, one entry per such reading. */
  alternates?: string[];
}

/**
 * The other readings of two texts printed as one (a word and the characters that follow it,
 * a number and its wrapped end): each other reading of one part, beside the other part as read.
 */
export function joinedAlternates(a: { text: string; alternates?: string[] }, b: { text: string; alternates?: string[] }): string[] | undefined {
  if (!a.alternates && !b.alternates) return undefined;
  return [...(a.alternates ?? []).map((x) => x + b.text), ...(b.alternates ?? []).map((y) => a.text + y)];
}

export interface PageText {
  /** The page's height as pdfjs's viewport reports it (its width when the page is turned). */
  height: number;
  pieces: Piece[];
}

/** The pages' words and the document's own title (its Info dictionary's /Title), when it has one. */
export type TextLayer = { pages: PageText[]; title?: string } | { fallback: string };

class Unsupported extends Error {}
function unsupported(why: string): never {
  throw new Unsupported(why);
}

// Objects ----------------------------------------------------------------------------------------

class Name {
  constructor(readonly name: string) {}
}
class Ref {
  constructor(readonly num: number) {}
}
/** A string's bytes, one char per byte. */
class Str {
  constructor(readonly bytes: string) {}
}
/** A keyword or operator, or one of the delimiters below. */
class Kw {
  constructor(readonly kw: string) {}
}
class Stream {
  constructor(
    readonly dict: Dict,
    readonly start: number,
    readonly length: number,
  ) {}
}
type Dict = Map<string, Obj>;
type Obj = null | boolean | number | Name | Str | Ref | Obj[] | Dict | Stream;
type Token = Obj | Kw;

const OPEN_ARRAY = new Kw('[');
const CLOSE_ARRAY = new Kw(']');
const OPEN_DICT = new Kw('<<');
const CLOSE_DICT = new Kw('>>');

const isDict = (o: unknown): o is Dict => o instanceof Map;
const nameOf = (o: unknown): string | undefined => (o instanceof Name ? o.name : undefined);
const numberOr = (o: unknown, fallback: number): number => (typeof o === 'number' ? o : fallback);
const isKw = (t: Token | undefined, kw: string): boolean => t instanceof Kw && t.kw === kw;

// Lexer ------------------------------------------------------------------------------------------

const WHITE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
const ESCAPES: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 102: 12 };

const isDigit = (c: number) => c >= 48 && c <= 57;
const isOctal = (c: number) => c >= 48 && c <= 55;

class Lexer {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number = buf.length,
  ) {}

  skipSpace(): void {
    const { buf, end } = this;
    let p = this.pos;
    while (p < end && (WHITE[buf[p]] || buf[p] === 37)) {
      if (buf[p] === 37) while (p < end && buf[p] !== 10 && buf[p] !== 13) p++;
      else p++;
    }
    this.pos = p;
  }

  /** The next token, or undefined at the end. */
  next(): Token | undefined {
    this.skipSpace();
    const { buf, pos } = this;
    if (pos >= this.end) return undefined;
    const c = buf[pos];
    if (isDigit(c) || c === 43 || c === 45 || c === 46) return this.number();
    if (c === 47) return this.name();
    if (c === 40) return this.literal();
    if (c === 60 && buf[pos + 1] === 60) return this.delimiter(2, OPEN_DICT);
    if (c === 62 && buf[pos + 1] === 62) return this.delimiter(2, CLOSE_DICT);
    if (c === 60) return this.hex();
    if (c === 91) return this.delimiter(1, OPEN_ARRAY);
    if (c === 93) return this.delimiter(1, CLOSE_ARRAY);
    if (DELIMITER[c]) return this.delimiter(1, new Kw(String.fromCharCode(c)));
    let p = pos;
    while (p < this.end && !WHITE[buf[p]] && !DELIMITER[buf[p]]) p++;
    this.pos = p;
    return new Kw(latin1(buf, pos, p));
  }

  private delimiter(length: number, token: Kw): Kw {
    this.pos += length;
    return token;
  }

  private number(): number {
    const { buf, end } = this;
    let p = this.pos;
    let sign = 1;
    for (; buf[p] === 45 || buf[p] === 43; p++) if (buf[p] === 45) sign = -sign;
    // Digits as one integer, divided once: 595.28 comes out as the nearest double, as in pdfjs.
    let digits = 0;
    let divisor = 1;
    while (p < end && isDigit(buf[p])) digits = digits * 10 + buf[p++] - 48;
    if (buf[p] === 46) for (p++; p < end && isDigit(buf[p]); p++, divisor *= 10) digits = digits * 10 + buf[p] - 48;
    // pdfjs reads 1e5 or 1-2 somehow; such a writer is odd enough to leave to it.
    if (p < end && !WHITE[buf[p]] && !DELIMITER[buf[p]]) unsupported('malformed number');
    this.pos = p;
    return (sign * digits) / divisor;
  }

  private name(): Name {
    const { buf, end } = this;
    let p = this.pos + 1;
    let out = '';
    while (p < end && !WHITE[buf[p]] && !DELIMITER[buf[p]]) {
      const escaped = buf[p] === 35 && HEX[buf[p + 1]] >= 0 && HEX[buf[p + 2]] >= 0;
      out += String.fromCharCode(escaped ? HEX[buf[p + 1]] * 16 + HEX[buf[p + 2]] : buf[p]);
      p += escaped ? 3 : 1;
    }
    this.pos = p;
    return new Name(out);
  }

  private literal(): Str {
    const { buf, end } = this;
    let p = this.pos + 1;
    let depth = 1;
    let out = '';
    while (p < end) {
      let c = buf[p++];
      if (c === 40) depth++;
      else if (c === 41 && --depth === 0) break;
      else if (c === 13) {
        // An end of line inside a string is one newline, whatever its bytes.
        if (buf[p] === 10) p++;
        c = 10;
      } else if (c === 92) {
        c = buf[p++];
        if (c === 13 || c === 10) {
          if (c === 13 && buf[p] === 10) p++;
          continue;
        }
        if (isOctal(c)) {
          let v = c - 48;
          for (let k = 0; k < 2 && isOctal(buf[p]); k++) v = v * 8 + buf[p++] - 48;
          c = v & 0xff;
        } else c = ESCAPES[c] ?? c;
      }
      out += String.fromCharCode(c);
    }
    if (depth !== 0) unsupported('unterminated string');
    this.pos = p;
    return new Str(out);
  }

  private hex(): Str {
    const { buf, end } = this;
    let p = this.pos + 1;
    let out = '';
    let high = -1;
    for (; p < end && buf[p] !== 62; p++) {
      const h = HEX[buf[p]];
      if (h < 0 && !WHITE[buf[p]]) unsupported('bad hex string');
      if (h < 0) continue;
      if (high < 0) high = h;
      else {
        out += String.fromCharCode(high * 16 + h);
        high = -1;
      }
    }
    this.pos = p + 1;
    return new Str(high < 0 ? out : out + String.fromCharCode(high * 16));
  }
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** One object from the lexer; with `refs`, `N G R` is a reference (content streams have none). */
function parseObject(lx: Lexer, refs: boolean, first: Token | undefined = lx.next()): Obj {
  if (first === OPEN_ARRAY) {
    const out: Obj[] = [];
    for (let t = lx.next(); t !== CLOSE_ARRAY; t = lx.next()) out.push(parseObject(lx, refs, t));
    return out;
  }
  if (first === OPEN_DICT) {
    const out: Dict = new Map();
    for (let t = lx.next(); t !== CLOSE_DICT; t = lx.next()) {
      if (!(t instanceof Name)) unsupported('dictionary key is not a name');
      out.set(t.name, parseObject(lx, refs));
    }
    return out;
  }
  if (first === undefined) unsupported('unexpected end');
  if (first instanceof Kw) {
    if (first.kw === 'true' || first.kw === 'false') return first.kw === 'true';
    if (first.kw === 'null') return null;
    unsupported(`unexpected ${first.kw}`);
  }
  if (refs && Number.isInteger(first) && (first as number) >= 0) {
    const save = lx.pos;
    const gen = lx.next();
    if (Number.isInteger(gen) && isKw(lx.next(), 'R')) return new Ref(first as number);
    lx.pos = save;
  }
  return first;
}

// The file: cross-reference, objects, streams ----------------------------------------------------

type Entry = { offset: number } | { stream: number; index: number } | null;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const STARTXREF = ascii('startxref');
const ENDSTREAM = ascii('endstream');

function bigEndian(data: Uint8Array, at: number, length: number): number {
  let v = 0;
  for (let k = 0; k < length; k++) v = v * 256 + data[at + k];
  return v;
}

function matchesAt(buf: Uint8Array, needle: Uint8Array, at: number): boolean {
  for (let k = 0; k < needle.length; k++) if (buf[at + k] !== needle[k]) return false;
  return true;
}

class PdfFile {
  readonly trailer: Dict;
  private readonly entries = new Map<number, Entry>();
  private readonly cache = new Map<number, Obj>();

  constructor(readonly buf: Uint8Array) {
    let at = buf.length - STARTXREF.length;
    while (at >= 0 && !matchesAt(buf, STARTXREF, at)) at--;
    const offset = new Lexer(buf, at + STARTXREF.length).next();
    if (at < 0 || typeof offset !== 'number') unsupported('no startxref');
    this.trailer = this.readXref(offset, new Set());
    if (this.trailer.has('Encrypt')) unsupported('encrypted');
  }

  /** Reads the section at `offset`, then the older ones it points to; returns its trailer. */
  private readXref(offset: number, seen: Set<number>): Dict {
    if (seen.has(offset) || offset < 0 || offset >= this.buf.length) unsupported('bad xref offset');
    seen.add(offset);
    const lx = new Lexer(this.buf, offset);
    const first = lx.next();
    let trailer: Dict;
    if (isKw(first, 'xref')) {
      trailer = this.readTable(lx);
      // A hybrid file lists its compressed objects in a stream besides the table.
      const stm = trailer.get('XRefStm');
      if (typeof stm === 'number') this.readXrefStream(new Lexer(this.buf, stm));
    } else trailer = this.readXrefStream(lx, first);
    const prev = trailer.get('Prev');
    if (typeof prev === 'number') this.readXref(prev, seen);
    return trailer;
  }

  /** Newer sections come first, so an entry already known is never replaced. */
  private setEntry(num: number, entry: Entry): void {
    if (!this.entries.has(num)) this.entries.set(num, entry);
  }

  private readTable(lx: Lexer): Dict {
    for (let t = lx.next(); !isKw(t, 'trailer'); t = lx.next()) {
      const count = lx.next();
      if (typeof t !== 'number' || typeof count !== 'number') unsupported('bad xref table');
      for (let i = 0; i < count; i++) {
        const offset = lx.next();
        lx.next();
        const kind = lx.next();
        if (typeof offset !== 'number' || !(kind instanceof Kw)) unsupported('bad xref entry');
        this.setEntry(t + i, kind.kw === 'n' ? { offset } : null);
      }
    }
    const trailer = parseObject(lx, true);
    return isDict(trailer) ? trailer : unsupported('bad trailer');
  }

  private readXrefStream(lx: Lexer, first = lx.next()): Dict {
    const stream = this.readIndirect(lx, first);
    const { dict } = stream instanceof Stream ? stream : unsupported('bad xref stream');
    const w = dict.get('W');
    const size = dict.get('Size');
    if (nameOf(dict.get('Type')) !== 'XRef' || !Array.isArray(w) || w.length !== 3 || !w.every(Number.isInteger) || typeof size !== 'number') unsupported('bad xref stream');
    const [w0, w1, w2] = w as number[];
    const index = dict.get('Index') ?? [0, size];
    if (!Array.isArray(index) || !index.every(Number.isInteger)) unsupported('bad xref stream index');
    const data = this.bytes(stream as Stream);
    let p = 0;
    for (let i = 0; i + 1 < index.length; i += 2) {
      for (let num = index[i] as number, n = 0; n < (index[i + 1] as number); n++, num++, p += w0 + w1 + w2) {
        if (p + w0 + w1 + w2 > data.length) unsupported('short xref stream');
        const type = w0 ? bigEndian(data, p, w0) : 1;
        const a = bigEndian(data, p + w0, w1);
        this.setEntry(num, type === 1 ? { offset: a } : type === 2 ? { stream: a, index: bigEndian(data, p + w0 + w1, w2) } : null);
      }
    }
    return dict;
  }

  /** `N G obj … endobj` at the lexer, with its stream if it has one. */
  private readIndirect(lx: Lexer, first = lx.next(), expected?: number): Obj {
    const gen = lx.next();
    if (typeof first !== 'number' || typeof gen !== 'number' || !isKw(lx.next(), 'obj')) unsupported('bad object header');
    if (expected !== undefined && first !== expected) unsupported('the xref points at another object');
    const value = parseObject(lx, true);
    if (!isDict(value)) return value;
    const save = lx.pos;
    if (!isKw(lx.next(), 'stream')) {
      lx.pos = save;
      return value;
    }
    let start = lx.pos;
    if (this.buf[start] === 13) start++;
    if (this.buf[start] === 10) start++;
    return new Stream(value, start, this.streamLength(value, start));
  }

  /** /Length when `endstream` follows it, else up to the next `endstream` (as pdfjs does). */
  private streamLength(dict: Dict, start: number): number {
    const { buf } = this;
    const declared = this.get(dict, 'Length');
    if (typeof declared === 'number' && declared >= 0) {
      const after = new Lexer(buf, start + declared);
      after.skipSpace();
      if (matchesAt(buf, ENDSTREAM, after.pos)) return declared;
    }
    let end = start;
    while (end < buf.length && !matchesAt(buf, ENDSTREAM, end)) end++;
    if (end >= buf.length) unsupported('no endstream');
    if (buf[end - 1] === 10) end--;
    if (buf[end - 1] === 13) end--;
    return Math.max(0, end - start);
  }

  fetch(ref: Ref): Obj {
    if (this.cache.has(ref.num)) return this.cache.get(ref.num)!;
    const entry = this.entries.get(ref.num);
    const value = !entry ? null : 'offset' in entry ? this.readIndirect(new Lexer(this.buf, entry.offset), undefined, ref.num) : this.fromObjectStream(entry, ref.num);
    this.cache.set(ref.num, value);
    return value;
  }

  private fromObjectStream({ stream, index }: { stream: number; index: number }, expected: number): Obj {
    const s = this.fetch(new Ref(stream));
    const { dict } = s instanceof Stream ? s : unsupported('bad object stream');
    const first = dict.get('First');
    if (typeof first !== 'number' || index >= numberOr(dict.get('N'), 0)) unsupported('bad object stream');
    const data = this.bytes(s as Stream);
    const header = new Lexer(data, 0, first);
    for (let i = 0; i < 2 * index; i++) header.next();
    const num = header.next();
    const offset = header.next();
    if (num !== expected || typeof offset !== 'number') unsupported('the object stream holds another object');
    return parseObject(new Lexer(data, first + offset), true);
  }

  resolve(o: Obj | undefined): Obj | undefined {
    return o instanceof Ref ? this.fetch(o) : o;
  }

  get(dict: Dict, key: string): Obj | undefined {
    return this.resolve(dict.get(key));
  }

  /** A stream's decoded bytes. */
  bytes(stream: Stream): Uint8Array {
    let data = this.buf.subarray(stream.start, stream.start + stream.length);
    const filter = this.get(stream.dict, 'Filter');
    const params = this.get(stream.dict, 'DecodeParms');
    const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
    filters.forEach((f, i) => {
      const name = nameOf(this.resolve(f));
      if (name !== 'FlateDecode' && name !== 'Fl') unsupported(`filter ${name}`);
      const p = this.resolve(Array.isArray(params) ? params[i] : params);
      data = inflate(data, isDict(p) ? p : undefined);
    });
    return data;
  }
}

/** No stream of a report inflates to this much; a larger one is a damaged file or a bomb. */
const MAX_INFLATED = 64 * 1024 * 1024;

function inflate(data: Uint8Array, params: Dict | undefined): Uint8Array {
  let out: Uint8Array;
  try {
    // A truncated stream still gives what it holds, as in pdfjs.
    out = inflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATED });
  } catch {
    unsupported('bad flate data');
  }
  const predictor = numberOr(params?.get('Predictor'), 1);
  if (predictor === 1) return out;
  if (predictor < 10) unsupported('TIFF predictor');
  const bits = numberOr(params?.get('Colors'), 1) * numberOr(params?.get('BitsPerComponent'), 8);
  return unpredictPng(out, Math.ceil(bits / 8), Math.ceil((bits * numberOr(params?.get('Columns'), 1)) / 8));
}

/** Undoes PNG row filters (each row starts with its filter type), as xref streams use them. */
function unpredictPng(data: Uint8Array, bpp: number, rowLength: number): Uint8Array {
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)];
    const src = r * (rowLength + 1) + 1;
    const row = r * rowLength;
    if (type > 4) unsupported('bad PNG predictor');
    for (let i = 0; i < rowLength; i++) {
      const left = i >= bpp ? out[row + i - bpp] : 0;
      const up = r > 0 ? out[row - rowLength + i] : 0;
      const upLeft = r > 0 && i >= bpp ? out[row - rowLength + i - bpp] : 0;
      const base = type === 1 ? left : type === 2 ? up : type === 3 ? (left + up) >> 1 : type === 4 ? paeth(left, up, upLeft) : 0;
      out[row + i] = (data[src + i] + base) & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const pa = Math.abs(up - upLeft);
  const pb = Math.abs(left - upLeft);
  const pc = Math.abs(left + up - 2 * upLeft);
  return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}

// Pages ------------------------------------------------------------------------------------------

interface Page {
  dict: Dict;
  resources: Dict;
  view: number[];
  rotate: number;
}

const INHERITED = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];
const LETTER = [0, 0, 612, 792];

/** A rectangle as pdfjs takes one: four numbers, normalised, with a positive area. */
function rect(file: PdfFile, o: Obj | undefined): number[] | null {
  const a = file.resolve(o);
  const n = Array.isArray(a) && a.length === 4 ? a.map((x) => file.resolve(x)) : [];
  if (n.length !== 4 || !n.every((x) => typeof x === 'number')) return null;
  const [x0, y0, x1, y1] = n as number[];
  const r = [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

/** The visible area: the crop box within the media box, when they overlap. */
function viewOf(media: number[], crop: number[] | null): number[] {
  if (!crop) return media;
  const box = [Math.max(crop[0], media[0]), Math.max(crop[1], media[1]), Math.min(crop[2], media[2]), Math.min(crop[3], media[3])];
  return box[2] > box[0] && box[3] > box[1] ? box : media;
}

/** A file over the page limits is refused here: pdfjs, given it, would walk every entry. */
function tooLarge(what: string): never {
  throw new InputError('too_large', what);
}

function pagesOf(file: PdfFile, limits: PdfLimits): Page[] {
  const root = file.get(file.trailer, 'Root');
  const tree = isDict(root) ? file.get(root, 'Pages') : undefined;
  if (!isDict(tree)) unsupported('no page tree');
  const count = file.get(tree, 'Count');
  if (typeof count === 'number' && count > limits.pdfPages) tooLarge(`the PDF says it has ${count} pages, more than the limit of ${limits.pdfPages} (--max-pdf-pages)`);
  const pages: Page[] = [];
  const seen = new Set<Dict>();
  let entries = 0;
  const walk = (node: Dict, inherited: Map<string, Obj | undefined>) => {
    if (seen.has(node) || seen.size > 100_000) unsupported('page tree loops');
    seen.add(node);
    const own = new Map(inherited);
    for (const key of INHERITED) if (node.has(key)) own.set(key, node.get(key));
    const kids = file.get(node, 'Kids');
    if (nameOf(node.get('Type')) !== 'Page' && Array.isArray(kids)) {
      entries += kids.length;
      if (entries > limits.pdfPageTree) tooLarge(`the PDF's page tree has more than ${limits.pdfPageTree} entries (--max-pdf-tree)`);
      for (const kid of kids) {
        const k = file.resolve(kid);
        walk(isDict(k) ? k : unsupported('bad page tree kid'), own);
      }
      return;
    }
    if (node.has('UserUnit')) unsupported('UserUnit');
    const resources = file.resolve(own.get('Resources'));
    const rotate = numberOr(file.resolve(own.get('Rotate')), 0);
    pages.push({
      dict: node,
      resources: isDict(resources) ? resources : new Map(),
      view: viewOf(rect(file, own.get('MediaBox')) ?? LETTER, rect(file, own.get('CropBox'))),
      rotate: rotate % 90 ? 0 : ((rotate % 360) + 360) % 360,
    });
    if (pages.length > limits.pdfPages) tooLarge(`the PDF has more than ${limits.pdfPages} pages (--max-pdf-pages)`);
  };
  walk(tree, new Map());
  // pdfjs trusts /Count; a tree that disagrees is read its way.
  if (file.get(tree, 'Count') !== pages.length) unsupported('page count differs from the page tree');
  return pages;
}

function contentOf(file: PdfFile, page: Dict): Uint8Array {
  const contents = file.get(page, 'Contents');
  const streams = Array.isArray(contents) ? contents.map((c) => file.resolve(c)) : contents ? [contents] : [];
  const parts = streams.map((s) => (s instanceof Stream ? file.bytes(s) : unsupported('content is not a stream')));
  if (parts.length === 1) return parts[0];
  // Joined as they are: a page may split its content anywhere, even inside a token.
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Fonts ------------------------------------------------------------------------------------------

interface Glyph {
  text: string;
  /** Advance width, in thousandths of the font size. */
  width: number;
  space: boolean;
}

interface Font {
  /** Bytes per character code: 1 for simple fonts, 2 for Identity-H composite fonts. */
  codeLength: 1 | 2;
  unicode: Map<number, string>;
  widths: Map<number, number>;
  defaultWidth: number;
  glyphs: Map<number, Glyph>;
}

/**
 * Characters pdfjs rewrites (compatibility forms it normalises, right-to-left text it reorders,
 * marks and format characters it treats apart): text holding them is left to pdfjs.
 */
const PDFJS_REWRITES = /[\u00b5\u037e\u0eb3\u2126\u0590-\u08ff\ufb00-\ufdff\ufe70-\ufeff\p{Mn}\p{Cf}]/u;

function loadFont(file: PdfFile, dict: Dict): Font {
  const subtype = nameOf(file.get(dict, 'Subtype'));
  const toUnicode = file.get(dict, 'ToUnicode');
  if (!(toUnicode instanceof Stream)) unsupported('font without a ToUnicode stream');
  if (subtype === 'Type0') {
    if (nameOf(file.get(dict, 'Encoding')) !== 'Identity-H') unsupported('composite font encoding');
    const descendants = file.get(dict, 'DescendantFonts');
    const cid = Array.isArray(descendants) ? file.resolve(descendants[0]) : undefined;
    if (!isDict(cid)) unsupported('composite font without descendant');
    const dw = file.get(cid, 'DW');
    const widths = compositeWidths(file, file.get(cid, 'W'));
    return { codeLength: 2, unicode: readToUnicode(file, toUnicode, 2), widths, defaultWidth: typeof dw === 'number' ? Math.ceil(dw) : 1000, glyphs: new Map() };
  }
  if (subtype !== 'Type1' && subtype !== 'TrueType' && subtype !== 'MMType1') unsupported(`font subtype ${subtype}`);
  // Without /Widths pdfjs measures with the standard fonts' metrics.
  const list = file.get(dict, 'Widths');
  if (!Array.isArray(list)) unsupported('simple font without /Widths');
  const firstChar = numberOr(file.get(dict, 'FirstChar'), 0);
  const widths = new Map<number, number>();
  list.forEach((w, i) => {
    const width = file.resolve(w);
    if (typeof width === 'number') widths.set(firstChar + i, width);
  });
  const descriptor = file.get(dict, 'FontDescriptor');
  const missing = isDict(descriptor) ? file.get(descriptor, 'MissingWidth') : undefined;
  return { codeLength: 1, unicode: readToUnicode(file, toUnicode, 1), widths, defaultWidth: numberOr(missing, 0), glyphs: new Map() };
}

/** /W of a CIDFont: `c [w1 w2 …]` or `cFirst cLast w`. */
function compositeWidths(file: PdfFile, w: Obj | undefined): Map<number, number> {
  const out = new Map<number, number>();
  const list = Array.isArray(w) ? w.map((x) => file.resolve(x)) : [];
  for (let i = 0; i + 1 < list.length; ) {
    const [start, next, width] = list.slice(i, i + 3);
    if (typeof start !== 'number') break;
    if (Array.isArray(next)) {
      next.forEach((x, k) => {
        const width = file.resolve(x);
        if (typeof width === 'number') out.set(start + k, width);
      });
      i += 2;
    } else {
      if (typeof next !== 'number' || typeof width !== 'number') break;
      for (let c = start; c <= next && c - start <= 0xffff; c++) out.set(c, width);
      i += 3;
    }
  }
  return out;
}

/** UTF-16BE bytes → text (a lone leading byte is a code unit of its own). */
function utf16(bytes: string): string {
  if (bytes.length % 2) bytes = '\0' + bytes;
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) out += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
  return out;
}

function codeOf(s: Obj, codeLength: number): number {
  if (!(s instanceof Str) || s.bytes.length !== codeLength) unsupported('ToUnicode code of another length');
  let v = 0;
  for (let i = 0; i < s.bytes.length; i++) v = v * 256 + s.bytes.charCodeAt(i);
  return v;
}

/** The bfchar and bfrange entries of a ToUnicode CMap. */
function readToUnicode(file: PdfFile, stream: Stream, codeLength: number): Map<number, string> {
  const lx = new Lexer(file.bytes(stream), 0);
  const map = new Map<number, string>();
  const operands: Obj[] = [];
  let section = '';
  for (let t = lx.next(); t !== undefined; t = lx.next()) {
    if (t instanceof Kw && t !== OPEN_ARRAY && t !== OPEN_DICT) {
      if (['usecmap', 'begincidrange', 'begincidchar', 'beginnotdefrange'].includes(t.kw)) unsupported(`CMap ${t.kw}`);
      section = t.kw === 'beginbfchar' ? 'bfchar' : t.kw === 'beginbfrange' ? 'bfrange' : '';
      operands.length = 0;
      continue;
    }
    operands.push(parseObject(lx, false, t));
    if (section === 'bfchar' && operands.length === 2) {
      const [src, dst] = operands.splice(0);
      map.set(codeOf(src, codeLength), dst instanceof Str ? utf16(dst.bytes) : unsupported('bad bfchar'));
    } else if (section === 'bfrange' && operands.length === 3) {
      const [lo, hi, dst] = operands.splice(0);
      const [from, to] = [codeOf(lo, codeLength), codeOf(hi, codeLength)];
      if (to < from) unsupported('bad bfrange');
      if (Array.isArray(dst)) dst.slice(0, to - from + 1).forEach((d, k) => map.set(from + k, d instanceof Str ? utf16(d.bytes) : unsupported('bad bfrange')));
      else {
        // One destination: its last code unit counts up along the range.
        const base = dst instanceof Str ? utf16(dst.bytes) : unsupported('bad bfrange');
        const last = base.charCodeAt(base.length - 1);
        if (last + to - from > 0xffff) unsupported('bfrange past a code unit');
        for (let c = from; c <= to; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(last + c - from));
      }
    }
  }
  return map;
}

/** A code's text and width, checked once per font. */
function glyphOf(font: Font, code: number): Glyph {
  let glyph = font.glyphs.get(code);
  if (glyph) return glyph;
  const text = font.unicode.get(code);
  // pdfjs would fall back on the font program's glyph names, which this reader never opens.
  if (!text) unsupported('code without ToUnicode entry');
  const space = /^\s/.test(text);
  if (!space && PDFJS_REWRITES.test(text)) unsupported('text pdfjs would rewrite');
  glyph = { text, width: font.widths.get(code) ?? font.defaultWidth, space };
  font.glyphs.set(code, glyph);
  return glyph;
}

// Content ----------------------------------------------------------------------------------------

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m × n, both PDF matrices [a b c d e f]. */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]];
}

function operand(args: Obj[], i: number, op: string): number {
  const v = args[i];
  return typeof v === 'number' ? v : unsupported(`operand of ${op}`);
}

function matrixOf(args: Obj[], op: string): Matrix {
  return [operand(args, 0, op), operand(args, 1, op), operand(args, 2, op), operand(args, 3, op), operand(args, 4, op), operand(args, 5, op)];
}

interface GState {
  ctm: Matrix;
  font: Font | null;
  fontSize: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
}

/** Glyphs this close (× font size) to the end of the previous one continue its word. */
const TOUCHING = 0.1;
/** Forms drawn within forms, deeper than this, are left to pdfjs. */
const MAX_FORM_DEPTH = 12;

/** Runs a page's content and gathers its words. */
class PageReader {
  readonly pieces: Piece[] = [];
  private state: GState = { ctm: IDENTITY, font: null, fontSize: 0, charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0 };
  private readonly stack: GState[] = [];
  private tm: Matrix = IDENTITY;
  private tlm: Matrix = IDENTITY;
  private word: Piece | null = null;

  constructor(
    private readonly file: PdfFile,
    private readonly fonts: Map<Dict, Font>,
    private readonly view: number[],
  ) {}

  run(content: Uint8Array, resources: Dict, depth = 0): void {
    if (depth > MAX_FORM_DEPTH) unsupported('forms nested too deep');
    const lx = new Lexer(content, 0);
    const args: Obj[] = [];
    for (let t = lx.next(); t !== undefined; t = lx.next()) {
      if (t instanceof Kw && t !== OPEN_ARRAY && t !== OPEN_DICT) {
        this.operator(t.kw, args, resources, lx, depth);
        args.length = 0;
      } else args.push(parseObject(lx, false, t));
    }
    this.endWord();
  }

  private operator(op: string, a: Obj[], resources: Dict, lx: Lexer, depth: number): void {
    const s = this.state;
    switch (op) {
      case 'q': this.stack.push({ ...s }); break;
      case 'Q': this.state = this.stack.pop() ?? s; break;
      case 'cm': s.ctm = multiply(matrixOf(a, op), s.ctm); break;
      case 'BT': this.tm = this.tlm = IDENTITY; break;
      case 'Tf': s.font = this.font(resources, nameOf(a[0])); s.fontSize = operand(a, 1, op); break;
      case 'Tc': s.charSpacing = operand(a, 0, op); break;
      case 'Tw': s.wordSpacing = operand(a, 0, op); break;
      case 'Tz': s.hScale = operand(a, 0, op) / 100; break;
      case 'TL': s.leading = operand(a, 0, op); break;
      case 'Ts': s.rise = operand(a, 0, op); break;
      case 'Td': this.moveLine(operand(a, 0, op), operand(a, 1, op)); break;
      case 'TD': s.leading = -operand(a, 1, op); this.moveLine(operand(a, 0, op), operand(a, 1, op)); break;
      case 'Tm': this.tm = this.tlm = matrixOf(a, op); break;
      case 'T*': this.moveLine(0, -s.leading); break;
      case 'Tj': this.show(a[0]); break;
      case "'": this.moveLine(0, -s.leading); this.show(a[0]); break;
      case '"': s.wordSpacing = operand(a, 0, op); s.charSpacing = operand(a, 1, op); this.moveLine(0, -s.leading); this.show(a[2]); break;
      case 'TJ': this.showArray(a[0]); break;
      case 'Do': this.form(resources, nameOf(a[0]), depth); break;
      case 'gs': this.checkGState(resources, nameOf(a[0])); break;
      case 'BI': skipInlineImage(lx); break;
      case 'd0': case 'd1': unsupported('Type3 glyph');
    }
  }

  /** TJ: strings, and numbers that move the next one back (in thousandths of the font size). */
  private showArray(o: Obj | undefined): void {
    const s = this.state;
    for (const e of Array.isArray(o) ? o : unsupported('TJ operand')) {
      if (typeof e === 'number') this.advance((-e / 1000) * s.fontSize * s.hScale);
      else this.show(e);
    }
  }

  private moveLine(tx: number, ty: number): void {
    this.tm = this.tlm = multiply([1, 0, 0, 1, tx, ty], this.tlm);
  }

  private advance(tx: number): void {
    const m = this.tm;
    this.tm = [m[0], m[1], m[2], m[3], m[4] + tx * m[0], m[5] + tx * m[1]];
  }

  private font(resources: Dict, name: string | undefined): Font {
    const fonts = this.file.get(resources, 'Font');
    const dict = isDict(fonts) && name !== undefined ? this.file.get(fonts, name) : undefined;
    if (!isDict(dict)) unsupported(`font ${name} missing`);
    let font = this.fonts.get(dict);
    if (!font) this.fonts.set(dict, (font = loadFont(this.file, dict)));
    return font;
  }

  private checkGState(resources: Dict, name: string | undefined): void {
    const states = this.file.get(resources, 'ExtGState');
    const gs = isDict(states) && name !== undefined ? this.file.get(states, name) : undefined;
    if (isDict(gs) && gs.has('Font')) unsupported('font set by ExtGState');
  }

  /** A form XObject: its content, drawn with its matrix and resources (images carry no text). */
  private form(resources: Dict, name: string | undefined, depth: number): void {
    const xobjects = this.file.get(resources, 'XObject');
    const xobject = isDict(xobjects) && name !== undefined ? this.file.get(xobjects, name) : undefined;
    if (!(xobject instanceof Stream) || nameOf(this.file.get(xobject.dict, 'Subtype')) !== 'Form') return;
    const matrix = this.file.get(xobject.dict, 'Matrix');
    const own = this.file.get(xobject.dict, 'Resources');
    const saved = { state: this.state, tm: this.tm, tlm: this.tlm, stack: this.stack.length };
    this.endWord();
    this.state = { ...this.state };
    if (Array.isArray(matrix) && matrix.length === 6) this.state.ctm = multiply(matrixOf(matrix, 'Matrix'), this.state.ctm);
    this.run(this.file.bytes(xobject), isDict(own) ? own : resources, depth + 1);
    ({ state: this.state, tm: this.tm, tlm: this.tlm } = saved);
    this.stack.length = Math.min(this.stack.length, saved.stack);
  }

  /** Shows a string: each glyph where the text matrix puts it, then moves past them all. */
  private show(o: Obj | undefined): void {
    const s = this.state;
    const codes = o instanceof Str ? o.bytes : unsupported('text operand');
    const font = s.font ?? unsupported('text before any font');
    if (codes.length % font.codeLength) unsupported('odd code length');
    const m = multiply(this.tm, s.ctm);
    // pdf.ts lays words out along x; turned or mirrored text is left to pdfjs.
    if (m[1] !== 0 || m[2] !== 0 || m[0] <= 0 || m[3] <= 0 || s.fontSize <= 0 || s.hScale <= 0) unsupported('turned or mirrored text');
    const size = s.fontSize * m[3];
    let u = 0;
    for (let i = 0; i < codes.length; i += font.codeLength) {
      const code = font.codeLength === 1 ? codes.charCodeAt(i) : (codes.charCodeAt(i) << 8) | codes.charCodeAt(i + 1);
      const glyph = glyphOf(font, code);
      const width = (glyph.width / 1000) * s.fontSize * s.hScale;
      if (glyph.space) this.endWord();
      else this.glyph(glyph.text, u * m[0] + m[4], s.rise * m[3] + m[5], width * m[0], size);
      u += width + (s.charSpacing + (code === 32 ? s.wordSpacing : 0)) * s.hScale;
    }
    this.advance(u);
  }

  private glyph(text: string, x: number, y: number, width: number, size: number): void {
    const v = this.view;
    const w = this.word;
    // Like pdfjs, text off the page is not read. A word that runs on past the right edge is
    // marked: its visible part (140 of 14069) is not what the report printed.
    if (x + width < v[0] || x > v[2] || y < v[1] || y > v[3]) {
      if (w && x > v[2] && w.y === y && w.size === size && Math.abs(x - w.x1) <= TOUCHING * size) w.cut = true;
      return;
    }
    if (w && w.y === y && w.size === size && Math.abs(x - w.x1) <= TOUCHING * size) {
      w.text += text;
      w.x1 = Math.max(w.x1, x + width);
    } else {
      this.endWord();
      this.word = { text, x0: x, x1: x + width, y, size };
    }
  }

  private endWord(): void {
    if (this.word) this.pieces.push(this.word);
    this.word = null;
  }
}

/** Moves the lexer past `ID … EI`, the data of an inline image. */
function skipInlineImage(lx: Lexer): void {
  for (let t = lx.next(); !isKw(t, 'ID'); t = lx.next()) if (t === undefined) unsupported('unterminated inline image');
  const { buf, end } = lx;
  for (let p = lx.pos + 1; p + 1 < end; p++) {
    if (buf[p] === 69 && buf[p + 1] === 73 && WHITE[buf[p - 1]] && (p + 2 >= end || WHITE[buf[p + 2]])) {
      lx.pos = p + 2;
      return;
    }
  }
  unsupported('unterminated inline image');
}

/**
 * The /Title of the document information dictionary: what a browser or an office suite
 * writes from the page's <title> or the document's properties. A text string is UTF-16BE
 * behind a byte-order mark, or (nearly) Latin-1 without one.
 */
function infoTitle(file: PdfFile): string | undefined {
  const info = file.get(file.trailer, 'Info');
  const title = isDict(info) ? file.get(info, 'Title') : undefined;
  if (!(title instanceof Str)) return undefined;
  const raw = title.bytes;
  const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  const text = raw.startsWith('\xfe\xff')
    ? new TextDecoder('utf-16be').decode(bytes.subarray(2))
    : raw.startsWith('\xef\xbb\xbf')
      ? new TextDecoder('utf-8').decode(bytes.subarray(3))
      : raw;
  return text.replace(/\0/g, '').trim() || undefined;
}

/**
 * The words of every page, or why the file is left to pdfjs. Throws only for a file over the
 * limits: any other file this reader cannot follow is pdfjs's to read or to refuse.
 */
export function readTextLayer(bytes: Uint8Array, limits: PdfLimits = DEFAULT_FILE_LIMITS): TextLayer {
  try {
    const file = new PdfFile(bytes);
    const fonts = new Map<Dict, Font>();
    const pages = pagesOf(file, limits).map((page): PageText => {
      const reader = new PageReader(file, fonts, page.view);
      reader.run(contentOf(file, page.dict), page.resources);
      const [x0, y0, x1, y1] = page.view;
      return { height: page.rotate % 180 ? x1 - x0 : y1 - y0, pieces: reader.pieces };
    });
    return { pages, title: infoTitle(file) };
  } catch (err) {
    if (err instanceof InputError) throw err;
    return { fallback: err instanceof Unsupported ? err.message : String(err) };
  }
}
