/**
 * Which reader a file goes to, decided from its bytes (magic numbers, markup) and then its
 * name. The readers are a table keyed by format; a format without a reader here is refused
 * with `unsupported_format` naming what to do.
 */
import { InputError } from '../errors.ts';
import { decode } from './decode.ts';
import type { DocumentModel } from './document.ts';
import { readHtml, stripInlineMarkup } from './html.ts';
import { readText } from './text.ts';

export type Format = 'html' | 'text' | 'pdf' | 'docx' | 'doc' | 'wps';

export const READERS: Partial<Record<Format, (bytes: Uint8Array, format: Format) => DocumentModel>> = {
  html: (bytes, format) => readHtml(decode(bytes, stripInlineMarkup).text, format),
  text: (bytes, format) => readText(decode(bytes).text, format),
};

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);
const MARKUP = /<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta|span)[\s>/]/i;

export function sniffFormat(bytes: Uint8Array, name: string): Format {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf'; // %PDF
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'docx'; // zip container
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return /\.wps$/i.test(name) ? 'wps' : 'doc'; // OLE2
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  if (/\.x?html?$/i.test(name) || MARKUP.test(head)) return 'html';
  return 'text';
}

/** NUL bytes or mostly control characters in the first 8 KB: not a text file. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  if (n === 0) return false;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return false; // UTF-16 BOM
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control / n > 0.1;
}

export function readDocument(bytes: Uint8Array, name: string): DocumentModel {
  const format = sniffFormat(bytes, name);
  const reader = READERS[format];
  if (!reader) {
    const hint = format === 'pdf' || format === 'docx' ? 'this build reads HTML and text; convert the file to HTML or text' : 'convert it to .docx or HTML (e.g. libreoffice --headless --convert-to html)';
    throw new InputError('unsupported_format', `${format} files are not supported: ${hint}`);
  }
  if (looksBinary(bytes)) throw new InputError('binary_file', 'binary content: not a text or HTML report');
  return reader(bytes, format);
}
