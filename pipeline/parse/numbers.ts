/**
 * A printed cell → number. Real reports print full-width digits (１２), thousands separators
 * (1,234 / 1，234), decimals (0.35), negative changes (-3, －3), units (5件, 251000元), stray
 * spaces (1 152) and, for nothing, a dash, slash, 无 or an empty cell. Nothing becomes 0 unless
 * it says 0: a blank is `null`, and text that is not a number is `invalid`.
 */
import { nfkc } from '../nfkc.ts';

export type ParsedNumber =
  | { kind: 'number'; value: number; unit?: Unit; raw: string; repair?: Repair }
  | { kind: 'null'; raw: string }
  | { kind: 'invalid'; raw: string };

export type Unit = '万元' | '元' | '亿元' | 'count' | '%';

/**
 * How a number was read from a damaged print (OCR, converters): letters that look like digits
 * inside a run of digits (1O → 10, l2 → 12), a mark before or after the digits (80. → 80), or a
 * mark inside a count (1,52 → 152: 1 or 152? the row's rules decide, row-values.ts). The rarer
 * confusions of OCR (S for 5, B for 8, b for 6, D for 0: `rare_lookalike`) stand only where a
 * rule of the row confirms them.
 */
export type Repair = 'lookalike' | 'lone_lookalike' | 'rare_lookalike' | 'edge_mark' | 'stray_mark' | 'wrapped';

/** Letters OCR reads for digits: only ever taken as digits next to a real digit (or alone in a cell). */
const LOOKALIKE_DIGITS = /^[0-9OoIlSBbD][0-9OoIlSBbD.,]*$/;
const LOOKALIKE_MAP: Record<string, string> = { O: '0', o: '0', I: '1', l: '1', S: '5', B: '8', b: '6', D: '0' };
const COMMON_LOOKALIKES = /[OoIl]/;
const RARE_LOOKALIKES = /[SBbD]/;
/** A mark inside digits that is neither a thousands separator nor (in a count) a decimal point. */
const STRAY_MARK = /^\d+[,.]\d+$/;
/** Marks before or after the digits: dust on the scan, never part of a number. */
const EDGES = /^[,.、]+|[,.、]+$/g;
const HAS_EDGE = /^[,.、]|[,.、]$/;

/** Markers printed for "nothing" in a cell. */
const NULL_MARKERS = new Set(['', '-', '--', '—', '——', '–', '―', '/', '\\', '无', '空', 'N/A', 'n/a', '／', '-/-']);

/** A CJK ideograph other than 无 and 空: text holding one is a label, never a marker. */
const LABEL_CHAR = /[\u4e00-\u65df\u65e1-\u7a79\u7a7b-\u9fff]/;

export function isNullMarker(text: string): boolean {
  // Every marker is at most three characters; the length test spares label text the NFKC pass.
  if (text.length > 8 || LABEL_CHAR.test(text)) return false;
  return NULL_MARKERS.has(nfkc(text).replace(/[\s\u00a0\u3000]+/g, ''));
}

/** Unit suffixes: money units keep their name, counting words become `count`. */
const UNITS: [RegExp, Unit][] = [
  [/万元$/, '万元'],
  [/亿元$/, '亿元'],
  [/元$/, '元'],
  [/%$/, '%'],
  [/(?:件|条|个|项|次|家|篇|份|人|起)$/, 'count'],
];

const THOUSANDS = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const PLAIN = /^\d+(?:\.\d+)?$/;

/** Most cells are plain ASCII digits: read here without a regular expression or NFKC. */
function plainDigits(raw: string): number | null {
  const n = raw.length;
  if (n === 0 || n > 15) return null;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return value;
}

/** Which repairs weigh more: the strongest one a number needed is the one it carries. */
const REPAIR_RANK: Record<Repair, number> = { edge_mark: 0, lookalike: 1, lone_lookalike: 2, rare_lookalike: 3, stray_mark: 4, wrapped: 5 };

/** Of a repair made so far and another, the one that needs more to stand (REPAIR_RANK). */
function worseOf(repair: Repair | undefined, r: Repair): Repair {
  return repair && REPAIR_RANK[repair] >= REPAIR_RANK[r] ? repair : r;
}

/**
 * Digits from a damaged print: marks at the edges taken off (80. → 80), look-alike letters
 * inside digits read as digits (1O → 10, O → 0), a mark inside a count taken out (1,52 → 152);
 * null when the text is none of these.
 */
function readDamaged(text: string): [string, Repair] | null {
  let s = text;
  let repair: Repair | undefined;
  if (HAS_EDGE.test(s)) {
    s = s.replace(EDGES, '');
    repair = worseOf(repair, 'edge_mark');
  }
  if (/^[Oo]{1,2}$/.test(s)) {
    // A lone O in a number's place: the 0 OCR misread.
    s = '0';
    repair = worseOf(repair, 'lookalike');
  } else if (/^[Il]$/.test(s)) {
    // A lone l or I may be a 1, or a ruling line: only a rule can tell.
    s = '1';
    repair = worseOf(repair, 'lone_lookalike');
  } else if (/^[SBbD]$/.test(s)) {
    s = LOOKALIKE_MAP[s];
    repair = worseOf(repair, 'rare_lookalike');
  } else if (LOOKALIKE_DIGITS.test(s) && /\d/.test(s) && (COMMON_LOOKALIKES.test(s) || RARE_LOOKALIKES.test(s))) {
    const rare = RARE_LOOKALIKES.test(s);
    s = s.replace(/[OoIlSBbD]/g, (c) => LOOKALIKE_MAP[c]);
    repair = worseOf(repair, rare ? 'rare_lookalike' : 'lookalike');
  }
  // A point is a decimal point here (a count's stray point is taken out by the row, which
  // knows its column); a comma that separates no thousands is a stray mark.
  if (!PLAIN.test(s) && STRAY_MARK.test(s)) {
    s = s.replace(/[,.]/g, '');
    repair = worseOf(repair, 'stray_mark');
  }
  return repair && PLAIN.test(s) ? [s, repair] : null;
}

export function parseNumber(raw: string): ParsedNumber {
  const digits = plainDigits(raw);
  if (digits !== null) return { kind: 'number', value: digits, raw };
  let s = nfkc(raw).replace(/[\s\u00a0\u3000]+/g, '');
  if (NULL_MARKERS.has(s)) return { kind: 'null', raw };
  let unit: Unit | undefined;
  for (const [re, u] of UNITS) {
    if (re.test(s)) {
      unit = u;
      s = s.replace(re, '');
      break;
    }
  }
  let sign = 1;
  if (/^[-−–+]/.test(s)) {
    sign = s[0] === '+' ? 1 : -1;
    s = s.slice(1);
  }
  if (THOUSANDS.test(s)) s = s.replace(/,/g, '');
  let repair: Repair | undefined;
  if (!PLAIN.test(s)) {
    const read = readDamaged(s);
    if (!read) return { kind: 'invalid', raw };
    [s, repair] = read;
  }
  const value = sign * Number(s);
  const parsed: ParsedNumber = unit ? { kind: 'number', value: value === 0 ? 0 : value, unit, raw } : { kind: 'number', value: value === 0 ? 0 : value, raw };
  if (repair) parsed.repair = repair;
  return parsed;
}

/** Money in 万元: converts 元 and 亿元; `assumed` when neither the cell nor its header named a unit. */
export function toTenThousandYuan(value: number, unit: Unit | undefined): { value: number; converted: boolean } {
  if (unit === '元') return { value: round(value / 10_000), converted: true };
  if (unit === '亿元') return { value: round(value * 10_000), converted: true };
  return { value, converted: false };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The unit a header states, e.g. 本年收费金额（单位：万元） or 采购总金额（元）. */
export function unitInHeader(header: string): Unit | undefined {
  const s = nfkc(header);
  if (/万元/.test(s)) return '万元';
  if (/亿元/.test(s)) return '亿元';
  if (/[(（:：]\s*元|单位\s*[:：]?\s*元/.test(s)) return '元';
  return undefined;
}
