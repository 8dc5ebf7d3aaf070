/**
 * Which reader a file goes to, decided from its bytes (magic numbers, markup) and then its
 * name. The readers are a table keyed by format; a format without a reader here is refused
 * with `unsupported_format` naming what to do.
 */
import { InputError } from '../errors.ts';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../model/limits.ts';
import { decode, decodingWarnings } from './decode.ts';
import type { DocumentModel } from './document.ts';
import type { OcrOptions } from './ocr.ts';
import { readDocx } from './docx.ts';
import { readHtmlBytes } from './html.ts';
import { readJson } from './json.ts';
import { readPdf } from './pdf.ts';
import { readText } from './text.ts';

export type Format = 'html' | 'text' | 'json' | 'pdf' | 'docx' | 'doc' | 'wps';

type Reader<T> = (bytes: Uint8Array, format: Format, limits: FileLimits) => T;

export const READERS: Partial<Record<Format, Reader<DocumentModel>>> = {
  html: (bytes, format, limits) => readHtmlBytes(bytes, format, limits.htmlDepth),
  text: (bytes, format) => {
    const decoded = decode(bytes);
    return { ...readText(decoded.text, format), warnings: decodingWarnings(decoded) };
  },
  docx: (bytes, format, limits) => readDocx(bytes, format, limits.docxPartBytes),
  json: (bytes, format) => readJson(bytes, format),
};

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);
const MARKUP = /<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta|span)[\s>/]/i;

export function sniffFormat(bytes: Uint8Array, name: string): Format {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) return 'pdf'; // %PDF
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'docx'; // zip container
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return /\.wps$/i.test(name) ? 'wps' : 'doc'; // OLE2
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  if (/\.json$/i.test(name) || /^(?:\xef\xbb\xbf)?\s*[{[]\s*"/.test(head)) return 'json';
  if (/\.x?html?$/i.test(name) || MARKUP.test(head)) return 'html';
  return 'text';
}

/** NUL bytes or mostly control characters in the first 8 KB: not a text file. */
/** Control characters other than NUL, tab and line breaks. */
const CONTROL = /[\x01-\x08\x0e-\x1f]/g;

export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  if (n === 0) return false;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return false; // UTF-16 BOM
  const head = bytes.subarray(0, n);
  if (head.indexOf(0) >= 0) return true;
  // Native scans: a text file has none of these, and the count is only taken when it has some.
  const latin1 = Buffer.from(head.buffer, head.byteOffset, n).toString('latin1');
  return (latin1.match(CONTROL)?.length ?? 0) / n > 0.1;
}

/** What readers may be given besides the bytes and the limits: how to OCR pages without a text layer. */
export interface ReadOptions {
  ocr?: OcrOptions;
}

/** Readers that need to wait (pdfjs-dist reads pages asynchronously; OCR). */
export const ASYNC_READERS: Partial<Record<Format, (bytes: Uint8Array, format: Format, limits: FileLimits, options: ReadOptions) => Promise<DocumentModel>>> = {
  pdf: (bytes, format, limits, options) => readPdf(bytes, format, 'auto', limits, options.ocr),
};

function unsupported(format: Format): InputError {
  const hint =
    format === 'pdf'
      ? 'PDFs are read by the asynchronous entry (parseReportAsync, used by the CLI and the build)'
      : `legacy Word/WPS files need LibreOffice: install it (soffice on the PATH) or convert the file first with "soffice --headless --convert-to docx FILE"`;
  return new InputError('unsupported_format', `${format} files are not supported here: ${hint}`);
}

export function readDocument(bytes: Uint8Array, name: string, limits: FileLimits = DEFAULT_FILE_LIMITS): DocumentModel {
  const format = sniffFormat(bytes, name);
  const reader = READERS[format];
  if (!reader) throw unsupported(format);
  if ((format === 'html' || format === 'text' || format === 'json') && looksBinary(bytes)) throw new InputError('binary_file', 'binary content: not a text or HTML report');
  return reader(bytes, format, limits);
}

export async function readDocumentAsync(bytes: Uint8Array, name: string, limits: FileLimits = DEFAULT_FILE_LIMITS, options: ReadOptions = {}): Promise<DocumentModel> {
  const format = sniffFormat(bytes, name);
  const reader = ASYNC_READERS[format];
  return reader ? reader(bytes, format, limits, options) : readDocument(bytes, name, limits);
}
