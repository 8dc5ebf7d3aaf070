import { describe, expect, it } from 'vitest';
import { readHtml } from '../../pipeline/read/html.ts';
import type { TableBlock } from '../../pipeline/read/document.ts';

const texts = (t: TableBlock) => t.rows.map((r) => r.map((c) => (c.origin ? c.text : `~${c.text}`)));

describe('HTML reader', () => {
  it('expands rowspan and colspan into a grid, marking spanned positions', () => {
    const doc = readHtml('<table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td></tr><tr><td>（二）部分公开</td><td>x</td><td>2</td></tr></table>');
    const table = doc.blocks[0] as TableBlock;
    expect(texts(table)).toEqual([
      ['三、本年度办理结果', '（一）予以公开', '~（一）予以公开', '5'],
      ['~三、本年度办理结果', '（二）部分公开', 'x', '2'],
    ]);
    expect(table.at).toEqual(['table 1 row 1', 'table 1 row 2']);
  });

  it('&nbsp; and empty <p> cells are empty; <br> and <p> inside a cell become spaces', () => {
    const doc = readHtml('<table><tr><td><p>本年新<br />制作数量</p></td><td><p>&nbsp;</p></td><td><p></p></td></tr></table>');
    expect(texts(doc.blocks[0] as TableBlock)).toEqual([['本年新 制作数量', '', '']]);
  });

  it('Word-pasted markup: o:p, spans, mso styles, comments', () => {
    const html = '<table class=MsoNormalTable><tr><td style="mso-border-alt:solid"><p class=MsoNormal><span lang=EN-US style=\'font-size:10.5pt\'>12<o:p></o:p></span></p></td><!--[if !supportMisalignedColumns]--><td><p class=MsoNormal><span>3<o:p>&nbsp;</o:p></span></p></td></tr></table>';
    expect(texts(readHtml(html).blocks[0] as TableBlock)).toEqual([['12', '3']]);
  });

  it('finds the article among navigation, sidebars and footers, and keeps the headline above it', () => {
    const html = `<html><head><title>某区2023年政府信息公开工作年度报告_某区人民政府</title></head><body>
      <div class="nav"><a>首页</a><a>政务公开</a><a>2022年政府信息公开工作年度报告</a></div>
      <h1 class="title">某区人民政府2023年政府信息公开工作年度报告</h1>
      <div class="sidebar"><ul><li>2021年年度报告</li><li>二、主动公开政府信息情况（旧）</li></ul></div>
      <div id="content"><div class="article">
        <p>一、总体情况</p><p>正文</p><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>1</td></tr></table>
        <p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>
        <p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p><p>无。</p>
      </div></div>
      <div class="footer">版权所有 某区人民政府 主办单位</div></body></html>`;
    const doc = readHtml(html);
    const lines = doc.blocks.filter((b) => b.kind === 'text').map((b) => b.kind === 'text' && b.text);
    expect(lines[0]).toBe('某区人民政府2023年政府信息公开工作年度报告');
    expect(lines).toContain('一、总体情况');
    expect(lines.join()).not.toMatch(/首页|版权所有|2021年年度报告/);
    expect(doc.meta.title).toBe('某区2023年政府信息公开工作年度报告_某区人民政府');
  });

  it('a layout table holding the report is read as flow, its inner tables as grids', () => {
    const html = '<table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>1</td></tr></table></td></tr></table>';
    const doc = readHtml(html);
    expect(doc.blocks.map((b) => b.kind)).toEqual(['text', 'table']);
  });

  it('tolerates malformed spans', () => {
    const doc = readHtml('<table><tr><td rowspan="0">a</td><td colspan="abc">b</td></tr><tr><td colspan="99999">c</td></tr></table>');
    const grid = (doc.blocks[0] as TableBlock).rows;
    expect(grid[0].map((c) => c.text)).toEqual(['a', 'b']);
    expect(grid[1].length).toBeLessThanOrEqual(100);
  });

  it('reads CMS meta tags', () => {
    const doc = readHtml('<html><head><meta name="PubDate" content="2024-01-30 10:00"><meta name="ContentSource" content="某区人民政府办公室"><meta name="Url" content="http://www.example.gov.cn/x.html"></head><body><p>x</p></body></html>');
    expect(doc.meta).toEqual({ published_at: '2024-01-30 10:00', publisher: '某区人民政府办公室', url: 'http://www.example.gov.cn/x.html' });
  });

  it('builds the tree as HTML parsers do: implied end tags, stray </p> and </br>, self-closing tags, foreign content', () => {
    const lines = (html: string) => readHtml(html).blocks.map((b) => (b.kind === 'text' ? b.text : texts(b)));
    // Cells and rows without end tags; a <p> closed by the next block.
    expect(lines('<table><tr><td>一<td>二<tr><td>三<td>四</table><p>甲<div>乙</div>')).toEqual([
      [['一', '二'], ['三', '四']],
      '甲',
      '乙',
    ]);
    // </p> without a start tag and </br> break the line; <div/> is an empty element.
    expect(lines('<div>甲</p>乙</br>丙<div/>丁</div>')).toEqual(['甲', '乙', '丙', '丁']);
    // A <title> inside SVG is not the page title and does not swallow the rest of the page.
    const svg = readHtml('<html><head><title>页面标题</title></head><body><p>甲<svg><title>图</title></svg></p><p>乙</p></body></html>');
    expect(svg.meta.title).toBe('页面标题');
    expect(svg.blocks.map((b) => (b.kind === 'text' ? b.text : ''))).toEqual(['甲', '乙']);
    // Upper-case tags and attributes, entities in text and attributes.
    expect(texts(readHtml('<TABLE><TR><TD COLSPAN="2">A&amp;B</TD></TR><TR><TD>1</TD><TD>2</TD></TR></TABLE>').blocks[0] as TableBlock)).toEqual([
      ['A&B', '~A&B'],
      ['1', '2'],
    ]);
    // Text on both sides of an element that is not kept (a meta tag) joins; a repeated
    // attribute keeps its first value; mixed-case names of common elements (Td, tR, P).
    const joined = readHtml('<table><tR><Td>本年<meta name="x" content="y">新收</Td><td rowspan="2" ROWSPAN="1">5</td></tR><tr><TD>结转</TD></tr></table><P>甲</P>');
    expect(texts(joined.blocks[0] as TableBlock)).toEqual([
      ['本年新收', '5'],
      ['结转', '~5'],
    ]);
    expect(joined.blocks[1]).toMatchObject({ kind: 'text', text: '甲' });
  });
});
