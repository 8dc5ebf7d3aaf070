/**
 * DOCX → document model, from the document XML directly: the zip is opened with fflate and
 * word/document.xml read with htmlparser2 in XML mode, synchronously. Paragraphs become lines
 * of text (a paragraph typed with tabs becomes a table row, as in a text copy); tables become
 * grids with merged cells expanded: w:gridSpan across, w:vMerge down (the text sits in the
 * "restart" cell; continuation cells repeat it with origin=false), w:gridBefore skipped.
 * Tracked deletions are left out; headers, footers and footnotes live in other parts and are
 * not read, so page numbers never reach the parser.
 */
import { unzipSync } from 'fflate';
import { Parser } from 'htmlparser2';
import { InputError } from '../errors.ts';
import { DEFAULT_FILE_LIMITS } from '../model/limits.ts';
import { cleanText, type Block, type Cell, type DocumentModel, type TableBlock } from './document.ts';

const DOCUMENT = 'word/document.xml';
const CORE = 'docProps/core.xml';
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (text: string) =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(\w+));/gi, (all, hex, dec, name) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : (XML_ENTITIES[name] ?? all),
  );

interface CellDraft {
  parts: string[];
  span: number;
  /** 'restart' opens a vertical merge, 'continue' extends the one above, null: no merge. */
  vmerge: 'restart' | 'continue' | null;
}

interface RowDraft {
  before: number;
  cells: CellDraft[];
}

interface TableDraft {
  rows: RowDraft[];
}

/**
 * word/document.xml, inflated. The zip's directory says how large the part is, and fflate
 * inflates into a buffer of exactly that size, so the size is checked before a byte is
 * inflated: a zip bomb costs nothing.
 */
function unzipDocument(bytes: Uint8Array, maxPartBytes: number): { xml: string; title?: string } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name !== DOCUMENT && f.name !== CORE) return false;
        if (f.originalSize > maxPartBytes) {
          throw new InputError('too_large', `${f.name} inflates to ${f.originalSize} bytes, more than the limit of ${maxPartBytes} (--max-docx-xml)`);
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError('unreadable', `not a readable DOCX (zip) file: ${(err as Error).message}`);
  }
  const xml = files[DOCUMENT];
  if (!xml) throw new InputError('unsupported_format', `a zip file without ${DOCUMENT}: not a Word document`);
  // Formatting is most of a document's XML and holds no text: drop it before decoding and
  // parsing (ASCII patterns, run on a latin1 view of the UTF-8 bytes).
  const view = Buffer.from(xml.buffer, xml.byteOffset, xml.length);
  return { xml: Buffer.from(view.toString('latin1').replace(FORMATTING, ''), 'latin1').toString('utf8'), title: coreTitle(files[CORE]) };
}

/** The document's title in its properties (docProps/core.xml's dc:title): an office suite writes the page's <title> there. */
function coreTitle(core: Uint8Array | undefined): string | undefined {
  if (!core) return undefined;
  const m = /<dc:title>([^<]*)<\/dc:title>/.exec(Buffer.from(core.buffer, core.byteOffset, core.length).toString('utf8'));
  const title = m ? decodeXml(m[1]).trim() : '';
  return title || undefined;
}

/** Run, paragraph and table formatting, borders, drawings: nothing the parser reads. */
const FORMATTING = new RegExp(
  [
    '<w:rPr>[\\s\\S]*?</w:rPr>',
    '<w:rPr/>',
    '<w:pPr>(?:(?!<w:pPr>)[\\s\\S])*?</w:pPr>',
    '<w:tblPr>[\\s\\S]*?</w:tblPr>',
    '<w:tcBorders>[\\s\\S]*?</w:tcBorders>',
    '<w:tcW [^>]*/>',
    '<w:shd [^>]*/>',
    '<w:tblGrid>[\\s\\S]*?</w:tblGrid>',
    '<w:drawing>[\\s\\S]*?</w:drawing>',
    '<w:sectPr[\\s\\S]*?</w:sectPr>',
  ].join('|'),
  'g',
);

/** Expands merged cells of a drafted table into a grid. */
function gridOf(table: TableDraft): Cell[][] {
  const grid: Cell[][] = [];
  table.rows.forEach((row, r) => {
    const out: Cell[] = [];
    for (let i = 0; i < row.before; i++) out.push({ text: '', origin: false });
    for (const cell of row.cells) {
      const c = out.length;
      const above = grid[r - 1]?.[c];
      const text = cell.vmerge === 'continue' ? (above?.text ?? '') : cleanText(cell.parts.join(' '));
      const origin = cell.vmerge !== 'continue';
      for (let k = 0; k < cell.span; k++) out.push({ text, origin: origin && k === 0 });
    }
    grid.push(out);
  });
  return grid;
}

export function readDocx(bytes: Uint8Array, format = 'docx', maxPartBytes = DEFAULT_FILE_LIMITS.docxPartBytes): DocumentModel {
  const { xml, title } = unzipDocument(bytes, maxPartBytes);
  const blocks: Block[] = [];
  const tables: TableDraft[] = [];
  let paragraph: string[] | null = null;
  let inText = false;
  let deleted = 0;
  let paragraphs = 0;
  let tableCount = 0;
  let tabRows: TableBlock | null = null;

  const cell = (): CellDraft | undefined => tables.at(-1)?.rows.at(-1)?.cells.at(-1);
  const flushTabRows = () => {
    if (tabRows) blocks.push(tabRows);
    tabRows = null;
  };
  const endParagraph = () => {
    if (!paragraph) return;
    const raw = paragraph.join('');
    paragraph = null;
    const target = cell();
    if (target) {
      target.parts.push(raw);
      return;
    }
    const at = `paragraph ${++paragraphs}`;
    if (raw.includes('\t') && raw.split('\t').filter((t) => t.trim()).length >= 2) {
      tabRows ??= { kind: 'table', rows: [], at: [] };
      tabRows.rows.push(raw.split('\t').map((t) => ({ text: cleanText(t), origin: true })));
      tabRows.at.push(at);
      return;
    }
    flushTabRows();
    const text = cleanText(raw);
    if (text) blocks.push({ kind: 'text', text, at });
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        switch (name) {
          case 'w:p':
            paragraph = [];
            break;
          case 'w:t':
            inText = true;
            break;
          case 'w:tab':
            if (paragraph && !deleted) paragraph.push('\t');
            break;
          case 'w:br':
          case 'w:cr':
            if (paragraph && !deleted) paragraph.push(' ');
            break;
          case 'w:del':
            deleted++;
            break;
          case 'w:tbl':
            endParagraph();
            flushTabRows();
            tables.push({ rows: [] });
            break;
          case 'w:tr':
            tables.at(-1)?.rows.push({ before: 0, cells: [] });
            break;
          case 'w:gridBefore': {
            const row = tables.at(-1)?.rows.at(-1);
            if (row && row.cells.length === 0) row.before = Number(attrs['w:val']) || 0;
            break;
          }
          case 'w:tc':
            tables.at(-1)?.rows.at(-1)?.cells.push({ parts: [], span: 1, vmerge: null });
            break;
          case 'w:gridSpan': {
            const c = cell();
            if (c) c.span = Math.max(1, Math.min(100, Number(attrs['w:val']) || 1));
            break;
          }
          case 'w:vMerge': {
            const c = cell();
            if (c) c.vmerge = attrs['w:val'] === 'restart' ? 'restart' : 'continue';
            break;
          }
        }
      },
      ontext(text) {
        if (inText && paragraph && !deleted) paragraph.push(text);
      },
      onclosetag(name) {
        switch (name) {
          case 'w:t':
            inText = false;
            break;
          case 'w:del':
            deleted--;
            break;
          case 'w:p':
            endParagraph();
            break;
          case 'w:tbl': {
            const table = tables.pop()!;
            const rows = gridOf(table);
            const n = ++tableCount;
            // A table inside a cell (a layout table) is its own block; the outer cell keeps its text.
            if (rows.length) blocks.push({ kind: 'table', rows, at: rows.map((_, r) => `table ${n} row ${r + 1}`) });
            break;
          }
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  endParagraph();
  flushTabRows();
  return { format, meta: title ? { title } : {}, blocks };
}
