/**
 * The damaged renderings carry what their truth claims: page chrome and heading damage on
 * copies of pages, markdown tables in pieces (md-pdf), OCR noise that a careful reader can undo
 * (text-ocr), and cells listed as unreadable that really are gone. The numbers are read back
 * here by independent readers written for these tests, never by the parser.
 */
import { describe, expect, it } from 'vitest';
import { TABLE_CODES, tableDef } from '../../pipeline/model/codes.ts';
import { HARD_STYLES, parseSynthArgs, type SynthReport, type SynthTruth } from '../../pipeline/synth/index.ts';
import { corpus, squeeze } from './helpers.ts';

const TEXT_COPIES = ['text-tab', 'text-pipe', 'text-cells', 'text-pdf'];
const DAMAGE_QUIRKS = /^(breadcrumb|site_name|title_wrapped|page_meta|page_tools|head_title|heading_\w+)$/;

/** Every template cell in order, with its kind. */
function cells(truth: SynthTruth): { key: string; value: number | null; amount: boolean }[] {
  return TABLE_CODES.flatMap((t) =>
    tableDef(t, truth.layout).rows.flatMap((r) => r.columns.map((c) => ({ key: `${t}.${r.code}.${c.code}`, value: truth.tables[t]![r.code][c.code], amount: c.kind === 'amount' }))),
  );
}

const CJK = /[\u3400-\u9fff]/;
const lines = (text: string) => text.split('\n');
const firstLine = (r: SynthReport) => lines(r.text).find((l) => l.trim() !== '' && !/^=== page \d+ ===$/.test(l))!;

describe('the default mix is left alone', () => {
  it('draws no new style and no damage unless asked', () => {
    const reports = corpus();
    expect(reports.some((r) => (HARD_STYLES as readonly string[]).includes(r.truth.style))).toBe(false);
    expect(reports.filter((r) => r.truth.quirks.some((q) => DAMAGE_QUIRKS.test(q)) || r.truth.unreadable).map((r) => r.path)).toEqual([]);
  });

  it('reads --damage and the config key', () => {
    expect(parseSynthArgs(['--out', 'd', '--damage', '0.5', '--styles', 'md-pdf,text-ocr'])).toMatchObject({ damage: 0.5, styles: ['md-pdf', 'text-ocr'] });
    expect(() => parseSynthArgs(['--out', 'd', '--damage', '2'])).toThrow(/between 0 and 1/);
  });
});

describe('page chrome and heading damage', () => {
  const damaged = corpus({ styles: [...TEXT_COPIES, 'html-utf8'], damage: 1, limit: 400, seed: 21 });
  const clean = corpus({ styles: [...TEXT_COPIES, 'html-utf8'], damage: 0, limit: 400, seed: 21 });

  it('damages every report, leaving its numbers and prose as in its clean twin', () => {
    damaged.forEach((r, i) => {
      const twin = clean[i];
      expect(r.path).toBe(twin.path);
      expect(r.truth.quirks.filter((q) => DAMAGE_QUIRKS.test(q)).length, r.path).toBeGreaterThan(0);
      expect(r.truth.tables).toEqual(twin.truth.tables);
      expect(r.truth.agency).toBe(twin.truth.agency);
      const opening = twin.text.split('\n').find((l) => l.includes('本报告根据'))!;
      expect(r.text, r.path).toContain(opening);
    });
  });

  it('starts a text copy with its breadcrumb, and an HTML article with it', () => {
    const crumb = /^(当前位置[:：]|您现在的位置：|您所在的位置：)?(网站)?首页( ?[|>»/｜＞] ?|>>)/;
    const withCrumb = damaged.filter((r) => r.truth.quirks.includes('breadcrumb'));
    expect(withCrumb.length).toBeGreaterThan(150);
    for (const r of withCrumb) {
      if (r.truth.style === 'html-utf8') {
        const article = r.text.split(/<div[^>]*id="zoom"[^>]*>\n/)[1] ?? r.text;
        expect(/<p[^>]*>([^<]*)<\/p>/.exec(article)?.[1].replace(/&gt;/g, '>'), r.path).toMatch(crumb);
      } else expect(firstLine(r), r.path).toMatch(crumb);
    }
    const html = damaged.filter((r) => r.truth.quirks.includes('head_title'));
    expect(html.length).toBeGreaterThan(20);
    for (const r of html) expect(/<title>([^<]*)<\/title>/.exec(r.text)?.[1], r.path).not.toBe(r.truth.title);
    for (const r of html) expect(r.text).toContain('<title>');
  });

  it('wraps the title over two lines where it says so', () => {
    const wrapped = damaged.filter((r) => r.truth.quirks.includes('title_wrapped') && r.truth.style !== 'html-utf8');
    expect(wrapped.length).toBeGreaterThan(50);
    for (const r of wrapped) {
      const ls = lines(r.text).map(squeeze);
      const title = squeeze(r.truth.title);
      expect(ls).not.toContain(title);
      expect(ls.some((l, i) => l !== '' && title.startsWith(l) && l + ls[i + 1] === title), r.path).toBe(true);
    }
  });

  it('changes at least one template heading wherever it damages headings, each kind of damage seen', () => {
    // Each section's heading in the forms a clean report prints.
    const standard = [
      ['一、总体情况'],
      ['二、主动公开政府信息情况'],
      ['三、收到和处理政府信息公开申请情况'],
      ['四、政府信息公开行政复议、行政诉讼情况', '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况'],
      ['五、存在的主要问题及改进情况', '五、政府信息公开工作存在的主要问题及改进情况', '五、存在问题及改进情况'],
      ['六、其他需要报告的事项'],
    ];
    const kinds = new Set<string>();
    for (const r of damaged) {
      const heading = r.truth.quirks.filter((q) => q.startsWith('heading_'));
      heading.forEach((q) => kinds.add(q));
      if (heading.length === 0 || r.truth.style === 'html-utf8') continue;
      const ls = new Set(lines(r.text).map((l) => l.trim()));
      expect(standard.every((forms) => forms.some((h) => ls.has(h))), `${r.path} ${heading}`).toBe(false);
    }
    expect([...kinds].sort()).toEqual(['heading_markdown', 'heading_missing', 'heading_numbering', 'heading_renumbered', 'heading_space', 'heading_typo', 'heading_unnumbered']);
  });
});

describe('md-pdf: markdown from a PDF converter', () => {
  const reports = corpus({ styles: ['md-pdf'], damage: 0, limit: 250, seed: 22 });

  /** Table 3's lines: from its header to table 4's. */
  function table3(text: string): string[] {
    const ls = lines(text);
    const start = ls.findIndex((l) => l.startsWith('申请人情况'));
    const end = ls.findIndex((l, i) => i > start && /^行政复议/.test(l));
    return ls.slice(start, end);
  }

  /** Table 3's value cells from its pipe rows: non-label cells, seven per row, header rows skipped. */
  function pipeValues(text: string): string[][] {
    return table3(text)
      .filter((l) => l.startsWith('| '))
      .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()))
      .map((row) => row.filter((c) => !CJK.test(c)))
      .filter((values) => values.some((c) => c !== ''))
      .map((values) => values.slice(0, 7));
  }

  it('cuts the tables into pieces, with rows of numbers only', () => {
    for (const r of reports) {
      expect(r.text.match(/^\|(---\|)+$/gm)!.length, r.path).toBeGreaterThanOrEqual(4);
      expect(r.text, r.path).toMatch(/^\|( (\d+|—|\/)? \|){7,8}$/m);
      expect(r.truth.quirks).toContain('md_split_table');
    }
  });

  it('keeps every number of table 3 in its row, and the unreadable cells really blank', () => {
    let unreadable = 0;
    for (const r of reports) {
      const rows = tableDef('applications', r.truth.layout).rows;
      const got = pipeValues(r.text);
      expect(got.length, r.path).toBe(rows.length);
      rows.forEach((row, i) =>
        row.columns.forEach((c, j) => {
          const key = `applications.${row.code}.${c.code}`;
          const want = r.truth.tables.applications![row.code][c.code];
          const cell = got[i][j];
          if (r.truth.unreadable?.includes(key)) {
            unreadable++;
            expect(cell, `${r.path} ${key}`).toBe('');
          } else if (want === null) expect(cell).toMatch(/^(—|\/)$/);
          else expect(Number(cell.replace(/,/g, '')), `${r.path} ${key}`).toBe(want);
        }),
      );
    }
    expect(unreadable).toBeGreaterThan(50);
  });

  it('detaches long labels from their numbers and prints page footers inside tables', () => {
    expect(reports.every((r) => r.truth.quirks.includes('md_detached_labels'))).toBe(true);
    expect(reports.filter((r) => r.truth.quirks.includes('md_footer_in_table')).length).toBeGreaterThan(100);
    // Labels and group labels print in fragments on lines of their own, away from any pipe row.
    for (const r of reports) {
      const loose = table3(r.text).filter((l) => !l.startsWith('|'));
      expect(loose.some((l) => /^[（(][三四五六][）)]|不予|无法/.test(l)), r.path).toBe(true);
      expect(loose.some((l) => /部分公开/.test(l)), r.path).toBe(true);
    }
  });
});

describe('text-ocr: OCR text of a scan', () => {
  const reports = corpus({ styles: ['text-ocr'], damage: 0, limit: 250, seed: 23 });
  const SMUDGE = /^[■□#?▇]$/;

  /** A careful reader's tokens: cells split at ruling lines or wide gaps, OCR letters read as digits. */
  function tokens(text: string): string[] {
    const ls = lines(text);
    const start = ls.findIndex((l) => l.includes('第二十条'));
    const end = ls.findIndex((l, i) => i > start && l.includes('存在'));
    return ls
      .slice(start, end)
      .filter((l) => !/^[-—]\s*\d+\s*[-—]$/.test(l))
      .flatMap((l) => l.split(/\s*[|丨｜[\]]\s*|\s{2,}/))
      .map((c) => c.trim())
      .filter((c) => !CJK.test(c) && /[\dOolI０-９■□#?▇—/]/.test(c))
      .map((c) => c.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[Oo]/g, '0').replace(/[lI]/g, '1').replace(/ /g, ''));
  }

  it('leaves every number recoverable, smudges only where the truth says unreadable', () => {
    let smudged = 0;
    for (const r of reports) {
      const got = tokens(r.text);
      const want = cells(r.truth);
      expect(got.length, r.path).toBe(want.length);
      want.forEach((cell, i) => {
        const t = got[i];
        if (r.truth.unreadable?.includes(cell.key)) {
          smudged++;
          expect(t, `${r.path} ${cell.key}`).toMatch(SMUDGE);
        } else if (cell.value === null) expect(t, `${r.path} ${cell.key}`).toMatch(/^(—|\/)$/);
        else {
          const n = cell.amount ? Number(t.replace(/,/g, '')) : Number(t.replace(/[.,]/g, ''));
          expect(n, `${r.path} ${cell.key}: "${t}"`).toBe(cell.value);
        }
      });
    }
    expect(smudged).toBeGreaterThan(5);
  });

  it('shows each kind of noise somewhere, and names it in the quirks', () => {
    const seen = new Set(reports.flatMap((r) => r.truth.quirks));
    for (const q of ['ocr_letter_digits', 'ocr_fullwidth', 'ocr_inner_space', 'ocr_stray_mark', 'ocr_look_alike', 'ocr_punctuation', 'ocr_table_lines', 'ocr_smudge', 'title_spaced']) expect(seen, q).toContain(q);
    const all = reports.map((r) => r.text).join('\n');
    expect(all).toMatch(/\d[Oo]|[Oo]\d|\d[lI]|[lI]\d/);
    expect(all).toMatch(/[０-９]/);
    expect(all).toMatch(/[己末曰入千]/);
    for (const r of reports.filter((x) => x.truth.quirks.includes('title_spaced'))) expect(r.text).not.toContain(r.truth.title);
  });
});
