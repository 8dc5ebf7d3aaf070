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

/** NFKC of a full-width form is its ASCII character (U+FF01 − 0xFEE0 = !), of U+3000 a space. */
function narrow(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x3000 && (c < 0xff01 || c > 0xff5e)) continue;
    out += text.slice(from, i) + (c === 0x3000 ? ' ' : String.fromCharCode(c - 0xfee0));
    from = i + 1;
  }
  return from ? out + text.slice(from) : text;
}

export function nfkc(text: string): string {
  if (STABLE.test(text)) return text;
  // Chinese prose prints its commas, brackets and colons full-width: mapped directly, they need
  // none of normalize()'s tables (nothing they turn into composes with its neighbours).
  return STABLE_OR_WIDE.test(text) ? narrow(text) : text.normalize('NFKC');
}
