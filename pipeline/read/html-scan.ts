/**
 * A tokenizer for the markup left once inline formatting is stripped (html.ts): tags with their
 * attributes, text with character references, doctype and processing instructions, and
 * <title> text. It emits the events htmlparser2's Tokenizer emits for the same input, to the
 * same callbacks, for less. Whatever it does not handle — comments, CDATA, raw-text elements
 * other than <title> (script, style, textarea, xmp, iframe, noembed, noframes, plaintext), a
 * title with character references, SVG and MathML, an attribute name starting with "=", markup
 * cut off at the end — it declines, and the page goes to htmlparser2 (html.ts). Stripping
 * removes comments, scripts and styles first, so real pages rarely need that.
 */
import { DecodingMode, decodeHTML, decodeHTMLAttribute } from 'entities';

export interface ScanCallbacks {
  onopentagname(start: number, end: number): void;
  onattribname(start: number, end: number): void;
  onattribdata(start: number, end: number): void;
  /** An attribute value's text with its character references decoded. */
  onattribtext(text: string): void;
  onattribend(): void;
  onopentagend(): void;
  onselfclosingtag(): void;
  onclosetag(start: number, end: number): void;
  ontext(start: number, end: number): void;
  /** Text with its character references decoded. */
  ontextstring(text: string): void;
  onend(): void;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const DASH = 0x2d;
const BRACKET = 0x5b;

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;
const isEndOfTagSection = (c: number) => c === SLASH || c === GT || isWhitespace(c);
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;

/** Elements whose content htmlparser2 reads as raw text or whose content is foreign: declined. */
const DECLINED = new Set(['script', 'style', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'svg', 'math']);
/** The lengths of those names and of title, by first letter: any other name is not cut out to be compared. */
const SPECIAL_LENGTHS = new Map<number, number[]>();
for (const name of [...DECLINED, 'title']) {
  const first = name.charCodeAt(0);
  SPECIAL_LENGTHS.set(first, [...(SPECIAL_LENGTHS.get(first) ?? []), name.length]);
}
const TITLE_END = /<\/title[ \n\t\f\r/>]/gi;

/** Thrown inside the scan to give the page to htmlparser2. */
const DECLINE = Symbol('decline');

/** Scans a page; false when it declined (callbacks may have been called: discard their result). */
export function scanHtml(html: string, cb: ScanCallbacks): boolean {
  try {
    scan(html, cb);
    return true;
  } catch (err) {
    if (err === DECLINE) return false;
    throw err;
  }
}

/**
 * Where the next '&' at or after `from` is (html.length when there is none). Remembered between
 * calls, which come in document order: searching afresh each time would scan to the end of a
 * page that has none, once for every text.
 */
class Ampersands {
  private at = -1;
  constructor(private readonly html: string) {}
  next(from: number): number {
    if (this.at < from) {
      const i = this.html.indexOf('&', from);
      this.at = i < 0 ? this.html.length : i;
    }
    return this.at;
  }
}

/** The references pages print most (Word pads every empty cell with &nbsp;), as their characters. */
const COMMON_REFERENCES: [string, string][] = [
  ['nbsp;', '\u00a0'],
  ['amp;', '&'],
  ['lt;', '<'],
  ['gt;', '>'],
  ['quot;', '"'],
];

/** Text whose every reference is a common one, decoded without the entity tables; null otherwise. */
function decodeCommon(s: string): string | null {
  let out = '';
  let from = 0;
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', from)) {
    const ref = COMMON_REFERENCES.find(([name]) => s.startsWith(name, i + 1));
    if (!ref) return null;
    out += s.slice(from, i) + ref[1];
    from = i + 1 + ref[0].length;
  }
  return out + s.slice(from);
}

function text(html: string, start: number, end: number, cb: ScanCallbacks, amps: Ampersands): void {
  if (end <= start) return;
  if (amps.next(start) >= end) {
    cb.ontext(start, end);
    return;
  }
  const raw = html.slice(start, end);
  cb.ontextstring(decodeCommon(raw) ?? decodeHTML(raw, DecodingMode.Legacy));
}

/** The index of the next '>' from `from`, or declines: the page ends inside markup. */
function closeOf(html: string, from: number): number {
  const gt = html.indexOf('>', from);
  if (gt < 0) throw DECLINE;
  return gt;
}

function scan(html: string, cb: ScanCallbacks): void {
  const n = html.length;
  const amps = new Ampersands(html);
  let textStart = 0;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const c = html.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      text(html, textStart, lt, cb, amps);
      i = textStart = openTag(html, lt + 1, cb, amps);
    } else if (c === SLASH) {
      text(html, textStart, lt, cb, amps);
      i = textStart = closeTag(html, lt + 2, cb);
    } else if (c === BANG || c === QUESTION) {
      const next = html.charCodeAt(lt + 2);
      if (c === BANG && (next === DASH || next === BRACKET)) throw DECLINE;
      text(html, textStart, lt, cb, amps);
      i = textStart = closeOf(html, lt + 2) + 1;
    } else {
      // A '<' that starts no markup is text.
      i = lt + 1;
    }
  }
  text(html, textStart, n, cb, amps);
  cb.onend();
}

/** Reads a start tag from its name at `p`; returns where the text after it starts. */
function openTag(html: string, p: number, cb: ScanCallbacks, amps: Ampersands): number {
  const n = html.length;
  let j = p;
  while (j < n && !isEndOfTagSection(html.charCodeAt(j))) j++;
  if (j >= n) throw DECLINE;
  const name = SPECIAL_LENGTHS.get(html.charCodeAt(p) | 0x20)?.includes(j - p) ? html.slice(p, j).toLowerCase() : '';
  if (name !== '' && DECLINED.has(name)) throw DECLINE;
  cb.onopentagname(p, j);
  let k = j;
  for (;;) {
    while (k < n && isWhitespace(html.charCodeAt(k))) k++;
    if (k >= n) throw DECLINE;
    const c = html.charCodeAt(k);
    if (c === GT) {
      cb.onopentagend();
      k++;
      break;
    }
    if (c === SLASH) {
      const next = html.charCodeAt(k + 1);
      if (next === GT) {
        cb.onselfclosingtag();
        return k + 2;
      }
      // "/ >" closes the tag in htmlparser2 too, but is rare enough to leave to it.
      if (isWhitespace(next)) throw DECLINE;
      k++;
      continue;
    }
    if (c === EQ) throw DECLINE;
    // An attribute: its name runs to '=' or the end of a tag section.
    const nameStart = k;
    while (k < n) {
      const d = html.charCodeAt(k);
      if (d === EQ || isEndOfTagSection(d)) break;
      k++;
    }
    if (k >= n) throw DECLINE;
    cb.onattribname(nameStart, k);
    while (k < n && isWhitespace(html.charCodeAt(k))) k++;
    if (k >= n) throw DECLINE;
    if (html.charCodeAt(k) !== EQ) {
      cb.onattribend();
      continue;
    }
    k++;
    while (k < n && isWhitespace(html.charCodeAt(k))) k++;
    if (k >= n) throw DECLINE;
    const q = html.charCodeAt(k);
    let valueStart: number;
    let valueEnd: number;
    if (q === DQUOTE || q === SQUOTE) {
      valueStart = k + 1;
      valueEnd = html.indexOf(q === DQUOTE ? '"' : "'", valueStart);
      if (valueEnd < 0) throw DECLINE;
      k = valueEnd + 1;
    } else {
      valueStart = k;
      while (k < n) {
        const d = html.charCodeAt(k);
        if (d === GT || isWhitespace(d)) break;
        k++;
      }
      if (k >= n) throw DECLINE;
      valueEnd = k;
    }
    if (amps.next(valueStart) < valueEnd) cb.onattribtext(decodeHTMLAttribute(html.slice(valueStart, valueEnd)));
    else cb.onattribdata(valueStart, valueEnd);
    cb.onattribend();
  }
  if (name !== 'title') return k;
  // <title> holds text up to its end tag, markup included, character references decoded.
  TITLE_END.lastIndex = k;
  const end = TITLE_END.exec(html);
  // htmlparser2 decodes a reference there unless it follows a partial end tag ("</t&amp;"):
  // a title with references is left to it.
  if (!end || amps.next(k) < end.index) throw DECLINE;
  text(html, k, end.index, cb, amps);
  return end.index;
}

/** Reads an end tag from just after its "</"; returns where the text after it starts. */
function closeTag(html: string, p: number, cb: ScanCallbacks): number {
  const n = html.length;
  const k = p;
  if (k >= n) throw DECLINE;
  const c = html.charCodeAt(k);
  if (c === GT) return k + 1;
  // "</ " and "</" before a non-letter open a bogus comment, up to the next '>'.
  if (!isAlpha(c)) return closeOf(html, k) + 1;
  let j = k;
  while (j < n && !isEndOfTagSection(html.charCodeAt(j))) j++;
  if (j >= n) throw DECLINE;
  cb.onclosetag(k, j);
  return closeOf(html, j) + 1;
}
