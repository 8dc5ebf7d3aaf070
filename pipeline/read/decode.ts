import { isUtf8 } from 'node:buffer';

/**
 * Bytes → text. The charset is decided from the BOM, then from a `<meta charset>` (or
 * http-equiv Content-Type) in the first bytes, then by trying strict UTF-8 and falling back to
 * GB18030, the superset of GBK and GB2312 (the 'gbk' decoder loses 4-byte sequences).
 */

export type Charset = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface Decoded {
  text: string;
  charset: Charset;
  /** How the charset was decided. */
  by: 'bom' | 'meta' | 'utf-8 valid' | 'fallback';
}

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
export function decode(bytes: Uint8Array, prepare?: (latin1: string) => string): Decoded {
  const view = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = prepare ? Buffer.from(prepare(view(bytes.subarray(3)).toString('latin1')), 'latin1') : bytes.subarray(3);
    return { text: view(body).toString('utf8'), charset: 'utf-8', by: 'bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decoders['utf-16le'].decode(bytes.subarray(2)), charset: 'utf-16le', by: 'bom' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decoders['utf-16be'].decode(bytes.subarray(2)), charset: 'utf-16be', by: 'bom' };

  const meta = sniffMetaCharset(bytes);
  // A page may claim UTF-8 and still be GBK (a copied template): validity decides.
  const charset: Charset = meta === 'gb18030' || !isUtf8(bytes) ? 'gb18030' : 'utf-8';
  const by = meta === 'gb18030' ? 'meta' : charset === 'gb18030' ? 'fallback' : meta ? 'meta' : 'utf-8 valid';
  const body = prepare ? Buffer.from(prepare(view(bytes).toString('latin1')), 'latin1') : bytes;
  const text = charset === 'utf-8' ? view(body).toString('utf8') : decoders.gb18030.decode(body);
  return { text, charset, by };
}
