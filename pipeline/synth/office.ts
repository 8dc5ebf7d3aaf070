/**
 * Word and PDF reports for the corpus, made the way agencies make them: print-ready HTML
 * converted by LibreOffice (HTML → .docx with Writer, .docx → .pdf with Writer's PDF export),
 * and PDFs of the web page by Writer/Web or through Word (render-print.ts). The pure core
 * renders the HTML; the writer runs soffice in batches. Only when asked for (--styles) and only
 * where soffice is on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors.ts';
import { applyPageWidths } from './docx-widths.ts';
import type { ConvertKind } from './styles.ts';

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
    throw new CliError('synth: the docx, pdf, pdf-lo-html and pdf-lo-docx styles need LibreOffice (soffice on the PATH; apt-get install libreoffice-writer-nogui fonts-noto-cjk)');
  }
}

export interface Conversion {
  /** The HTML the core rendered, written beside the target under a temporary name. */
  html: string;
  /** The file to produce. */
  target: string;
  kind: ConvertKind;
}

/** How many files one soffice run converts (a bound on its command line and on what a failure costs). */
const BATCH = 200;

/**
 * Converts with LibreOffice in a few soffice runs (starting soffice takes longer than converting
 * a report): every report's HTML into one work folder, then HTML → .docx for all that go through
 * Word, the page's column widths into the .docx files that keep them (`word-pdf`), .docx → .pdf,
 * and HTML → .pdf by Writer/Web. A private profile, so runs never share a lock.
 */
export function convertAll(jobs: Conversion[]): void {
  const profile = mkdtempSync(join(tmpdir(), 'gongkai-soffice-profile-'));
  const work = mkdtempSync(join(tmpdir(), 'gongkai-soffice-'));
  const soffice = (args: string[], files: string[]) => {
    for (let i = 0; i < files.length; i += BATCH) {
      execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', ...args, ...files.slice(i, i + BATCH)], { cwd: work, stdio: 'ignore', timeout: 1_800_000 });
    }
  };
  try {
    const stems = jobs.map((job, i) => {
      const stem = `r${i}`;
      renameSync(job.html, join(work, `${stem}.html`));
      return stem;
    });
    const of = (kinds: ConvertKind[]) => stems.filter((_, i) => kinds.includes(jobs[i].kind));
    soffice(['--convert-to', 'docx:MS Word 2007 XML'], of(['docx', 'pdf', 'word-pdf']).map((s) => `${s}.html`));
    for (const s of of(['word-pdf'])) {
      const docx = join(work, `${s}.docx`);
      writeFileSync(docx, applyPageWidths(new Uint8Array(readFileSync(docx)), readFileSync(join(work, `${s}.html`), 'utf8')));
    }
    soffice(['--convert-to', 'pdf:writer_pdf_Export'], of(['pdf', 'word-pdf']).map((s) => `${s}.docx`));
    soffice(['--convert-to', 'pdf:writer_web_pdf_Export'], of(['writer-web-pdf']).map((s) => `${s}.html`));
    jobs.forEach((job, i) => {
      const made = join(work, `${stems[i]}.${job.kind === 'docx' ? 'docx' : 'pdf'}`);
      if (!existsSync(made)) throw new Error(`synth: LibreOffice made no file for ${job.target}`);
      renameSync(made, job.target);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

export function writeHtmlFor(target: string, html: Uint8Array, kind: ConvertKind): Conversion {
  const path = `${target}.tmp-${process.pid}.html`;
  writeFileSync(path, html);
  return { html: path, target, kind };
}
