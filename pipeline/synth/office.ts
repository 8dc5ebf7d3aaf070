/**
 * Word and PDF reports for the corpus, made the way agencies make them: print-ready HTML
 * converted by LibreOffice (HTML → .docx with Writer, .docx → .pdf with Writer's PDF export).
 * The pure core renders the HTML; the writer runs soffice in batches, one per folder. Only
 * when asked for (--styles docx,pdf) and only where soffice is on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.ts';

const STYLE = `<style>
body { font-family: "Noto Serif CJK SC", serif; font-size: 10.5pt; }
h1 { font-size: 16pt; text-align: center; }
td { font-size: 8pt; text-align: center; }
</style>`;

/** Column widths that fit A4, by the number of grid columns a table's first row spans. */
const COLGROUPS: Record<number, string> = {
  4: '<colgroup><col width="28%"><col width="24%"><col width="24%"><col width="24%"></colgroup>',
  5: '<colgroup><col width="28%"><col width="18%"><col width="9%"><col width="9%"><col width="36%"></colgroup>',
  10: `<colgroup><col width="8%"><col width="9%"><col width="23%">${'<col width="8.5%">'.repeat(7)}</colgroup>`,
  15: `<colgroup>${'<col width="6.66%">'.repeat(15)}</colgroup>`,
};

/** An article's HTML made print-ready: a title, bordered tables with widths that fit the page. */
export function printable(title: string, article: string): string {
  const parts = article.split(/<table[^>]*>/);
  const out = [parts[0]];
  for (const part of parts.slice(1)) {
    const firstRow = /<tr[^>]*>([\s\S]*?)<\/tr>/.exec(part)?.[1] ?? '';
    const cols = [...firstRow.matchAll(/<t[dh]([^>]*)>/g)].reduce((a, m) => a + Number(/colspan="?(\d+)/.exec(m[1])?.[1] ?? 1), 0);
    out.push(`<table border="1" cellspacing="0" cellpadding="2" width="100%">${COLGROUPS[cols] ?? ''}${part}`);
  }
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title>${STYLE}</head><body><h1>${title}</h1>${out.join('')}</body></html>`;
}

export function requireSoffice(): void {
  if (spawnSync('soffice', ['--version'], { stdio: 'ignore', timeout: 30_000 }).status !== 0) {
    throw new CliError('synth: the docx and pdf styles need LibreOffice (soffice on the PATH; apt-get install libreoffice-writer-nogui)');
  }
}

export interface Conversion {
  /** The HTML the core rendered, written beside the target under a temporary name. */
  html: string;
  /** The .docx or .pdf to produce. */
  target: string;
}

/** Converts each folder's HTML files in one soffice run (a private profile, so runs never share a lock). */
export function convertAll(jobs: Conversion[]): void {
  const byDir = new Map<string, Conversion[]>();
  for (const job of jobs) byDir.set(dirname(job.target), [...(byDir.get(dirname(job.target)) ?? []), job]);
  const profile = mkdtempSync(join(tmpdir(), 'gongkai-soffice-profile-'));
  try {
    for (const list of byDir.values()) {
      const work = mkdtempSync(join(tmpdir(), 'gongkai-soffice-'));
      const soffice = (args: string[]) => execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', ...args], { cwd: work, stdio: 'ignore', timeout: 600_000 });
      const stems = list.map((job, i) => {
        const stem = `r${i}`;
        renameSync(job.html, join(work, `${stem}.html`));
        return stem;
      });
      soffice(['--convert-to', 'docx:MS Word 2007 XML', ...stems.map((s) => `${s}.html`)]);
      const pdfs = list.map((job, i) => [job, stems[i]] as const).filter(([job]) => job.target.endsWith('.pdf'));
      if (pdfs.length) soffice(['--convert-to', 'pdf:writer_pdf_Export', ...pdfs.map(([, s]) => `${s}.docx`)]);
      list.forEach((job, i) => renameSync(join(work, `${stems[i]}.${job.target.endsWith('.pdf') ? 'pdf' : 'docx'}`), job.target));
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export function writeHtmlFor(target: string, html: Uint8Array): Conversion {
  const path = `${target}.tmp-${process.pid}.html`;
  writeFileSync(path, html);
  return { html: path, target };
}
