/**
 * Legacy Word (.doc) and WPS files, converted to DOCX by LibreOffice when `soffice` is on the
 * PATH. This is I/O (a temporary folder, a child process), so it sits outside the pure parser:
 * the CLI and the build call it before parsing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';

let available: boolean | undefined;

export function sofficeAvailable(): boolean {
  available ??= spawnSync('soffice', ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  return available;
}

/** DOCX bytes of a .doc/.wps file; throws unsupported_format when LibreOffice is absent or fails. */
export function convertToDocx(bytes: Uint8Array, name: string): Uint8Array {
  if (!sofficeAvailable()) {
    throw new InputError('unsupported_format', `legacy Word/WPS file: install LibreOffice (soffice on the PATH) to read it, or convert it with "soffice --headless --convert-to docx ${name}"`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-soffice-'));
  try {
    const input = join(dir, /\.wps$/i.test(name) ? 'report.wps' : 'report.doc');
    writeFileSync(input, bytes);
    // A private profile folder: concurrent conversions must not share LibreOffice's lock.
    const profile = `-env:UserInstallation=file://${join(dir, 'profile')}`;
    const r = spawnSync('soffice', [profile, '--headless', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, input], { timeout: 120_000, stdio: 'ignore' });
    try {
      return new Uint8Array(readFileSync(join(dir, 'report.docx')));
    } catch {
      throw new InputError('unsupported_format', `LibreOffice could not convert the file (exit ${r.status ?? r.signal}); convert it by hand with "soffice --headless --convert-to docx ${name}"`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
