/**
 * What one input file may cost to parse. A file over a limit gets a named error in place of its
 * record — `too_large`, `too_deep` or `timeout` — and the build goes on without it (the quality
 * report lists it). The defaults sit far above what annual reports need (a few to a few dozen
 * pages, a document.xml of a few hundred KB, tags nested a few dozen deep) and far below what
 * hostile files ask for (a page tree listing one page 100,000 times, a zip bomb of gigabytes,
 * 100,000 nested tags).
 *
 * Every limit is one row of FILE_LIMIT_FLAGS: the build's command-line flag, its unit and its
 * help text come from there.
 */
export interface FileLimits {
  /** Wall time to parse one file, ms (build: the worker running it is stopped and replaced). */
  timeoutMs: number;
  /** V8 heap of each parse worker, MB (build: a worker past it is stopped and replaced). */
  heapMb: number;
  /** Bytes of an input file. */
  fileBytes: number;
  /** Decompressed bytes of a DOCX's document part (word/document.xml), checked before inflating. */
  docxPartBytes: number;
  /** Pages of a PDF. */
  pdfPages: number;
  /** Entries of a PDF's page tree (every Kids entry walked, pages included). */
  pdfPageTree: number;
  /** Nesting depth of HTML elements. */
  htmlDepth: number;
}

const MB = 1024 * 1024;

export const DEFAULT_FILE_LIMITS: FileLimits = {
  timeoutMs: 60_000,
  heapMb: 512,
  fileBytes: 100 * MB,
  docxPartBytes: 64 * MB,
  pdfPages: 2000,
  pdfPageTree: 10_000,
  htmlDepth: 1000,
};

export interface FileLimitFlag {
  key: keyof FileLimits;
  /** The build's option: --<flag> N. */
  flag: string;
  /** The unit N is given in, and its size in the limit's own unit. */
  unit: string;
  scale: number;
  help: string;
}

export const FILE_LIMIT_FLAGS: readonly FileLimitFlag[] = [
  { key: 'timeoutMs', flag: 'file-timeout', unit: 's', scale: 1000, help: 'wall time to parse one file' },
  { key: 'heapMb', flag: 'worker-heap', unit: 'MB', scale: 1, help: 'memory (V8 heap) of each parse worker' },
  { key: 'fileBytes', flag: 'max-file-size', unit: 'MB', scale: MB, help: 'size of an input file' },
  { key: 'docxPartBytes', flag: 'max-docx-xml', unit: 'MB', scale: MB, help: "decompressed size of a DOCX's word/document.xml" },
  { key: 'pdfPages', flag: 'max-pdf-pages', unit: 'pages', scale: 1, help: 'pages of a PDF' },
  { key: 'pdfPageTree', flag: 'max-pdf-tree', unit: 'entries', scale: 1, help: "entries of a PDF's page tree" },
  { key: 'htmlDepth', flag: 'max-html-depth', unit: 'levels', scale: 1, help: 'nesting depth of HTML elements' },
];

/** The limits with some replaced; each must be a positive number. */
export function resolveFileLimits(overrides: Partial<FileLimits> = {}): FileLimits {
  const limits = { ...DEFAULT_FILE_LIMITS, ...overrides };
  for (const { key } of FILE_LIMIT_FLAGS) {
    if (!(limits[key] > 0)) throw new RangeError(`file limit ${key} must be a positive number, got ${limits[key]}`);
  }
  return limits;
}

/** A limit's value in its flag's unit (for messages and help). */
export function inFlagUnit(key: keyof FileLimits, limits: FileLimits = DEFAULT_FILE_LIMITS): string {
  const row = FILE_LIMIT_FLAGS.find((f) => f.key === key)!;
  return `${limits[key] / row.scale} ${row.unit}`;
}
