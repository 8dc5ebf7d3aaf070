/**
 * The release's metadata, written once the version is known: datapackage.json (Frictionless),
 * DATA_DICTIONARY.md, CITATION.cff, release.json (version, build time, software, inputs,
 * counts, source totals, changes since the previous release, citation), and SHA256SUMS of every other file, written last.
 *
 * The files are written straight into the build's private folder: the whole folder is published
 * with one rename (versions.ts), so no reader ever sees a half-written file.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parserFingerprint } from './cache.ts';
import { citationCff, citationText, type CitationInfo } from './citation.ts';
import { dataPackage, DATASET, type FileFacts } from './datapackage.ts';
import { generatedNotice } from './generated.ts';
import { dataDictionary } from './dictionary.ts';
import type { ChangesSummary } from './changes.ts';
import type { QualityReport } from './quality.ts';
import { listFiles, type WrittenFile } from './write.ts';

export interface ReleaseInfo {
  version: string;
  builtAt: string;
  previous: string | null;
  inputs: string[];
  /** The data files writeTables wrote. */
  files: WrittenFile[];
  quality: QualityReport;
  changes: ChangesSummary;
}

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

let packageVersion: string | undefined;

function softwareVersion(): string {
  packageVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return packageVersion;
}

/** release.json: everything about this release a program needs without opening a table. */
export function releaseJson(info: ReleaseInfo, citation: string) {
  const q = info.quality;
  const notice = generatedNotice(q.summary.generated_reports, q.summary.reports);
  return {
    name: DATASET.name,
    version: info.version,
    /** True when any report was made by gongkai synth: the release is generated sample data. */
    generated: notice !== null,
    ...(notice ? { notice } : {}),
    built_at: info.builtAt,
    previous: info.previous,
    software: { name: DATASET.name, version: softwareVersion(), parser: parserFingerprint() },
    inputs: info.inputs,
    counts: {
      ...q.summary,
      agencies: q.counts.agencies,
      regions: q.counts.regions,
      cells: q.counts.cells,
      checks: q.counts.checks,
      warnings: q.counts.warnings,
    },
    sources: q.sources,
    changes: info.changes,
    citation,
  };
}

export function writeMetadata(dir: string, info: ReleaseInfo): void {
  const hashes = new Map<string, string>();
  const facts = (f: WrittenFile): FileFacts => {
    if (!hashes.has(f.path)) hashes.set(f.path, sha256File(join(dir, f.path)));
    return { path: f.path, bytes: f.bytes, sha256: hashes.get(f.path)! };
  };

  const notice = generatedNotice(info.quality.summary.generated_reports, info.quality.summary.reports);
  const pkg = dataPackage({ version: info.version, created: info.builtAt, files: info.files.map(facts), notice });
  writeFileSync(join(dir, 'datapackage.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(dir, 'DATA_DICTIONARY.md'), dataDictionary());

  const cite: CitationInfo = {
    version: info.version,
    date: info.builtAt.slice(0, 10),
    reports: info.quality.summary.reports,
    agencies: info.quality.counts.agencies,
    files: info.quality.summary.inputs,
    notice,
  };
  writeFileSync(join(dir, 'CITATION.cff'), citationCff(cite));
  writeFileSync(join(dir, 'release.json'), `${JSON.stringify(releaseJson(info, citationText(cite)), null, 2)}\n`);

  // Last: the checksum of every other file, sorted by path.
  const sums = listFiles(dir)
    .filter((f) => f.path !== 'SHA256SUMS')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${facts(f).sha256}  ${f.path}`);
  writeFileSync(join(dir, 'SHA256SUMS'), `${sums.join('\n')}\n`);
}
