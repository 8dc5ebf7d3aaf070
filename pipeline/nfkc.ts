/**
 * NFKC normalization (full-width digits, brackets and spaces to their plain forms), skipping
 * the work for text it cannot change. Most report text is CJK ideographs, ASCII and the usual
 * CJK punctuation, none of which NFKC touches; testing for that is several times cheaper than
 * normalizing, and the parser normalizes every label and cell.
 */

/** Characters NFKC leaves as they are and never composes: ASCII, CJK ideographs, 、。〇〈〉《》「」『』【】〔〕 etc., — ‘’ “” · ○. */
const STABLE = /^[\x00-\x7f\u4e00-\u9fff\u3001\u3002\u3007-\u3011\u3014-\u301b\u2014\u2018\u2019\u201c\u201d\u00b7\u25cb]*$/;

export function nfkc(text: string): string {
  return STABLE.test(text) ? text : text.normalize('NFKC');
}
