/**
 * The release's metadata: release.json (version, build time, counts, software) and SHA256SUMS
 * of every file, written last.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QualityReport } from './quality.ts';
import { listFiles, type WrittenFile } from './write.ts';

export interface ReleaseInfo {
  version: string;
  builtAt: string;
  previous: string | null;
  inputs: string[];
  files: WrittenFile[];
  quality: QualityReport;
}

export function writeMetadata(dir: string, info: ReleaseInfo): void {
  const release = { version: info.version, built_at: info.builtAt, previous: info.previous, inputs: info.inputs, counts: info.quality.summary };
  writeFileSync(join(dir, 'release.json'), `${JSON.stringify(release, null, 2)}\n`);
  const sums = listFiles(dir)
    .filter((f) => f.path !== 'SHA256SUMS')
    .map((f) => `${createHash('sha256').update(readFileSync(join(dir, f.path))).digest('hex')}  ${f.path}`);
  writeFileSync(join(dir, 'SHA256SUMS'), `${sums.join('\n')}\n`);
}
