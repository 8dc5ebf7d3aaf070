/**
 * The column widths a page's tables ask for, set in the Word file LibreOffice made from it.
 * Writer's HTML import widens a column until its longest number fits; an agency's own Word table
 * keeps the narrow columns it was given, and Word (and Writer exporting the file to PDF) then
 * breaks a long number inside its cell. Pure: the page's HTML and the .docx bytes in, the .docx
 * bytes out.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

/** Twentieths of a point per CSS pixel (0.75 pt). */
const TWIPS_PER_PX = 15;

/** Each table's <colgroup> pixel widths, in page order (null for a table sized in percent). */
export function pageColumnWidths(html: string): (number[] | null)[] {
  return [...html.matchAll(/<table[^>]*>(<colgroup>([\s\S]*?)<\/colgroup>)?/g)].map((m) => {
    const cols = [...(m[2] ?? '').matchAll(/<col width="([\d.]+%?)">/g)].map((c) => c[1]);
    return cols.length && cols.every((c) => /^\d+$/.test(c)) ? cols.map(Number) : null;
  });
}

/**
 * A row that prints a number never breaks across pages (Word's "allow row to break across pages"
 * unticked), so a number wrapped in its cell stays on one page, one line under the other. Header
 * rows may break: Writer 7.4 drops the rest of a table whose unbreakable first rows meet the
 * bottom of a page.
 */
function keepRowTogether(tr: string): string {
  if (!/<w:t>-?[\d,.]+<\/w:t>/.test(tr) || tr.includes('<w:cantSplit')) return tr;
  if (tr.includes('<w:trPr/>')) return tr.replace('<w:trPr/>', '<w:trPr><w:cantSplit/></w:trPr>');
  if (tr.includes('<w:trPr>')) return tr.replace('<w:trPr>', '<w:trPr><w:cantSplit/>');
  return tr.replace(/^<w:tr\b[^>]*>/, (open) => `${open}<w:trPr><w:cantSplit/></w:trPr>`);
}

/** Sets one table's grid, table width and every cell's width (by its grid position and span). */
function sizeTable(tbl: string, px: number[]): string {
  const tw = px.map((w) => w * TWIPS_PER_PX);
  const grid = tbl.match(/<w:gridCol\b/g)?.length ?? 0;
  if (grid !== tw.length) throw new Error(`the Word table has ${grid} grid columns, the page's table ${tw.length}`);
  let out = tbl.replace(/<w:tblGrid>[\s\S]*?<\/w:tblGrid>/, `<w:tblGrid>${tw.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`);
  out = out.replace(/<w:tblW [^>]*\/>/, `<w:tblW w:w="${tw.reduce((a, b) => a + b, 0)}" w:type="dxa"/>`);
  return out.replace(/<w:tr\b[\s\S]*?<\/w:tr>/g, (tr) => {
    let col = Number(/<w:gridBefore w:val="(\d+)"/.exec(tr)?.[1] ?? 0);
    return keepRowTogether(tr).replace(/<w:tc>[\s\S]*?<\/w:tc>/g, (tc) => {
      const span = Number(/<w:gridSpan w:val="(\d+)"/.exec(tc)?.[1] ?? 1);
      const width = tw.slice(col, col + span).reduce((a, b) => a + b, 0);
      col += span;
      return tc.replace(/<w:tcW [^>]*\/>/, `<w:tcW w:w="${width}" w:type="dxa"/>`);
    });
  });
}

/** The .docx with its tables sized as the page's <colgroup>s say; tables sized in percent stay as they are. */
export function applyPageWidths(docx: Uint8Array, html: string): Uint8Array {
  const files = unzipSync(docx);
  const xml = strFromU8(files['word/document.xml']);
  const widths = pageColumnWidths(html);
  const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
  if (tables.length !== widths.length) throw new Error(`the Word file has ${tables.length} tables, the page ${widths.length}`);
  let i = 0;
  files['word/document.xml'] = strToU8(
    xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, (tbl) => {
      const px = widths[i++];
      return px ? sizeTable(tbl, px) : tbl;
    }),
  );
  // A fixed date in the zip entries: the file depends on its inputs only.
  return zipSync(files, { mtime: new Date(Date.UTC(1980, 0, 1)) });
}
