/**
 * The one entry the CLI and the build call for a file's bytes: legacy .doc/.wps are converted
 * through LibreOffice first (I/O), then parseReportAsync reads every format. The record keeps
 * the original file's name and checksum.
 */
import type { ParseOutcome } from '../model/record.ts';
import { isError } from '../model/record.ts';
import { sniffFormat } from '../read/formats.ts';
import { convertToDocx } from '../read/legacy.ts';
import { parseReportAsync, sha256, type ParseContext } from './report.ts';

export async function parseInput(bytes: Uint8Array, source: string, context: ParseContext = {}): Promise<ParseOutcome> {
  const format = bytes.length ? sniffFormat(bytes, source) : null;
  if (format !== 'doc' && format !== 'wps') return parseReportAsync(bytes, source, context);
  let docx: Uint8Array;
  try {
    docx = convertToDocx(bytes, source);
  } catch (err) {
    return { source, sha256: sha256(bytes), error: { code: 'unsupported_format', message: `${source}: ${(err as Error).message}` } };
  }
  const outcome = await parseReportAsync(docx, source, context);
  if (isError(outcome)) return { ...outcome, sha256: sha256(bytes) };
  return { ...outcome, sha256: sha256(bytes), format: `${format} (converted to docx)` };
}
