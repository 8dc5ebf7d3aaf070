import { isUtf8 } from 'node:buffer';
import type { Warning } from '../model/record.ts';

/**
 * Bytes → text. The charset is decided from the BOM, then from a `<meta charset>` (or
 * http-equiv Content-Type) naming a GB charset in the first bytes, then by which decoding is
 * plausible: valid UTF-8 is UTF-8; UTF-8 with a few invalid sequences (a byte damaged in
 * transit, a truncated character) is still UTF-8, each bad sequence a U+FFFD and the record a
 * `decoding_replaced` warning; anything else is GB18030, the superset of GBK and GB2312 (the
 * 'gbk' decoder loses 4-byte sequences). GBK read as UTF-8 is invalid almost everywhere,
 * so the two cannot be confused.
 */

export type Charset = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface Decoded {
  text: string;
  charset: Charset;
  /** How the charset was decided. */
  by: 'bom' | 'meta' | 'utf-8 valid' | 'utf-8 repaired' | 'fallback';
  /** Invalid byte sequences decoded as U+FFFD (only when there were some). */
  replaced?: number;
}

/** Most invalid sequences per 100 well-formed non-ASCII characters for bytes still to be UTF-8. */
const REPAIRABLE_PER_100 = 1;

const GB_NAMES = /^(gbk|gb2312|gb_2312-80|gb18030|x-gbk|cp936|windows-936|euc-cn|hz-gb-2312)$/i;
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i;

export function sniffMetaCharset(bytes: Uint8Array): Charset | null {
  // Charset names are ASCII, so latin1 over the first 4 KB is enough to find the meta tag.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  const m = META_CHARSET.exec(head);
  if (!m) return null;
  const name = m[1].toLowerCase();
  if (GB_NAMES.test(name)) return 'gb18030';
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  return null;
}

const decoders: Record<Charset, { decode(input: Uint8Array): string }> = {
  'utf-8': new TextDecoder('utf-8'),
  'utf-16le': new TextDecoder('utf-16le'),
  'utf-16be': new TextDecoder('utf-16be'),
  gb18030: new TextDecoder('gb18030'),
};

/**
 * Decodes bytes. `prepare`, if given, rewrites the bytes first through a latin1 view: ASCII
 * patterns (markup) can be removed there without decoding, because neither UTF-8 nor GBK puts
 * an ASCII '<', '>', quote or space inside a multi-byte character. Decoding the slimmer bytes
 * is much faster on Word-pasted pages. The charset is still decided on the original bytes.
 */
/** U+FFFD in a text: counted only when there is one (indexOf is native and fast). */
function replacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) n++;
  return n;
}

/** Invalid UTF-8 bytes: few enough, against the characters that decode well, to be damage? */
function repairableUtf8(text: string, bad: number): boolean {
  let good = -bad;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) good++;
  return bad * 100 <= good * REPAIRABLE_PER_100;
}

const withReplaced = (d: Decoded): Decoded => {
  const replaced = d.charset === 'utf-8' ? replacements(d.text) : 0;
  return replaced ? { ...d, replaced } : d;
};

/** The warning a record carries when its text was decoded with replacements. */
export function decodingWarnings(d: Decoded): Warning[] {
  if (!d.replaced) return [];
  return [{ code: 'decoding_replaced', where: 'encoding', message: `${d.replaced} invalid UTF-8 byte sequence(s) were read as U+FFFD (�); the rest of the text is intact` }];
}

export function decode(bytes: Uint8Array, prepare?: (latin1: string) => string): Decoded {
  const view = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = prepare ? Buffer.from(prepare(view(bytes.subarray(3)).toString('latin1')), 'latin1') : bytes.subarray(3);
    return withReplaced({ text: view(body).toString('utf8'), charset: 'utf-8', by: 'bom' });
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decoders['utf-16le'].decode(bytes.subarray(2)), charset: 'utf-16le', by: 'bom' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decoders['utf-16be'].decode(bytes.subarray(2)), charset: 'utf-16be', by: 'bom' };

  const meta = sniffMetaCharset(bytes);
  // A page may claim UTF-8 and still be GBK (a copied template): plausibility decides.
  let by: Decoded['by'];
  if (meta === 'gb18030') by = 'meta';
  else if (isUtf8(bytes)) by = meta ? 'meta' : 'utf-8 valid';
  else {
    const asUtf8 = view(bytes).toString('utf8');
    by = repairableUtf8(asUtf8, replacements(asUtf8)) ? 'utf-8 repaired' : 'fallback';
  }
  const charset: Charset = by === 'fallback' || meta === 'gb18030' ? 'gb18030' : 'utf-8';
  const body = prepare ? Buffer.from(prepare(view(bytes).toString('latin1')), 'latin1') : bytes;
  if (charset === 'gb18030') return { text: decoders.gb18030.decode(body), charset, by };
  const text = view(body).toString('utf8');
  return by === 'utf-8 repaired' ? withReplaced({ text, charset, by }) : { text, charset, by };
}
