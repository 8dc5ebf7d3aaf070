/**
 * NFKC normalization (full-width digits, brackets and spaces to their plain forms), skipping
 * the work for text it cannot change. Most report text is CJK ideographs, ASCII and the usual
 * CJK punctuation, none of which NFKC touches; testing for that is several times cheaper than
 * normalizing, and the parser normalizes every label and cell.
 */

/** Characters NFKC leaves as they are and never composes: ASCII, CJK ideographs, 、。〇〈〉《》「」『』【】〔〕 etc., — ‘’ “” · ○. */
const STABLE = /^[\x00-\x7f\u4e00-\u9fff\u3001\u3002\u3007-\u3011\u3014-\u301b\u2014\u2018\u2019\u201c\u201d\u00b7\u25cb]*$/;

/** The same, and full-width ASCII forms (，（）：１ U+FF01–FF5E) and the ideographic space (U+3000). */
const STABLE_OR_WIDE = /^[\x00-\x7f\u4e00-\u9fff\u3000-\u3002\u3007-\u3011\u3014-\u301b\u2014\u2018\u2019\u201c\u201d\u00b7\u25cb\uff01-\uff5e]*$/;
const WIDE = /[\u3000\uff01-\uff5e]/g;
/** NFKC of a full-width form is its ASCII character (U+FF01 − 0xFEE0 = !), of U+3000 a space. */
const narrow = (c: string) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0));

export function nfkc(text: string): string {
  if (STABLE.test(text)) return text;
  // Chinese prose prints its commas, brackets and colons full-width: mapped directly, they need
  // none of normalize()'s tables (nothing they turn into composes with its neighbours).
  return STABLE_OR_WIDE.test(text) ? text.replace(WIDE, narrow) : text.normalize('NFKC');
}
