/**
 * HTML the way government sites serve these reports: the template grid with rowspan/colspan,
 * as a bare article, inside a page with site header/navigation/footer around the article div,
 * or as a fragment; cells plain, with <p> (shanghai-general-office-2019.html) or as
 * Word-pasted markup with MsoNormal paragraphs and &nbsp; in empty cells.
 */
import type { Chrome } from './damage.ts';
import type { Block } from './prose.ts';
import type { Cell, Grid } from './grid.ts';
import type { TableCode } from '../model/codes.ts';
import { SYNTH_DOMAIN } from './urls.ts';

export interface PageInfo {
  siteName: string;
  host: string;
  url: string;
  publisher: string;
  publishedAt: string;
  icp: string;
  siteCode: string;
  prev?: string;
  next?: string;
}

export interface HtmlLook {
  frame: 'page' | 'bare' | 'fragment';
  cells: 'plain' | 'p' | 'word';
  /** The charset the page declares, and how. */
  charset: 'utf-8' | 'gbk' | 'gb2312';
  charsetForm: 'meta-charset' | 'http-equiv';
  headings: 'p' | 'strong' | 'h';
  tableAttrs: string;
  /** Printed pages (render-print.ts): each table's own opening tag and <colgroup>, in place of tableAttrs. */
  tableOpen?: Record<TableCode, string>;
  /** The site's stylesheet, inline in <head>. */
  style?: string;
}

export interface RenderDoc {
  title: string;
  blocks: Block[];
  grids: Record<TableCode, Grid>;
  page: PageInfo;
  /**
   * Page chrome pasted into the article along with it (breadcrumb, publication line, print
   * links), a wrapped title and a <title> naming the column; null for a clean page.
   */
  chrome?: Chrome | null;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\u00a0': '&nbsp;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"\u00a0]/g, (c) => ESC[c]);

function spans(c: Cell): string {
  return `${c.cs ? ` colspan="${c.cs}"` : ''}${c.rs ? ` rowspan="${c.rs}"` : ''}`;
}

function cellHtml(c: Cell, look: HtmlLook): string {
  const text = c.lines && look.cells === 'p' ? c.lines.map(escapeHtml).join('<br />') : escapeHtml(c.text);
  switch (look.cells) {
    case 'plain':
      return `<td${spans(c)}>${text}</td>`;
    case 'p':
      if (c.text === '' && c.value) return `<td${spans(c)}>&nbsp;</td>`;
      return `<td${spans(c)}><p align="center">${text === '' ? '&nbsp;' : text}</p></td>`;
    case 'word': {
      const inner = text === '' ? '<o:p>&nbsp;</o:p>' : c.value ? `<span lang=EN-US style='font-size:10.5pt;font-family:"Times New Roman"'>${text}<o:p></o:p></span>` : `<span style='font-size:10.5pt;font-family:宋体'>${text}</span>`;
      // With a <colgroup> the table sets the widths; Word's own per-cell widths would fight it.
      const width = look.tableOpen ? '' : ` width=${c.value ? 47 : c.cs ? 47 * c.cs : 120}`;
      return `<td${width}${spans(c).replace(/"/g, '')} valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center'>${inner}</p></td>`;
    }
  }
}

function tableHtml(table: TableCode, grid: Grid, look: HtmlLook): string {
  const rows = grid.map((row) => `<tr>${row.map((c) => cellHtml(c, look)).join('')}</tr>`);
  const wrapTbody = look.cells !== 'plain';
  return `${look.tableOpen?.[table] ?? `<table${look.tableAttrs}>`}${wrapTbody ? '<tbody>' : ''}\n${rows.join('\n')}\n${wrapTbody ? '</tbody>' : ''}</table>`;
}

function blockHtml(b: Block, doc: RenderDoc, look: HtmlLook): string {
  const word = look.cells === 'word';
  const para = (text: string, style = "text-indent:2em") =>
    word
      ? `<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>${escapeHtml(text)}</span></p>`
      : `<p style="${style}">${escapeHtml(text)}</p>`;
  switch (b.kind) {
    case 'title': {
      const meta = doc.chrome?.meta.map((line) => para(line, 'text-align: center')).join('\n') ?? '';
      if (look.frame === 'page') return meta;
      const lines = doc.chrome?.titleLines ?? [b.text];
      const title = lines.map((line) => `<p style="text-align: center;font-weight: bold;">${escapeHtml(line)}</p>`).join('\n');
      return meta ? `${title}\n${meta}` : title;
    }
    case 'heading':
      if (look.headings === 'h') return `<h3>${escapeHtml(b.text)}</h3>`;
      if (look.headings === 'strong') return `<p style="text-indent:2em"><strong>${escapeHtml(b.text)}</strong></p>`;
      return para(b.text);
    case 'subheading':
      return look.headings === 'p' ? para(b.text) : `<p style="text-indent:2em"><strong>${escapeHtml(b.text)}</strong></p>`;
    case 'para':
      return para(b.text);
    case 'table':
      return tableHtml(b.table, doc.grids[b.table], look);
  }
}

function head(doc: RenderDoc, look: HtmlLook): string {
  const meta =
    look.charsetForm === 'meta-charset'
      ? `<meta charset="${look.charset}">`
      : `<meta http-equiv="Content-Type" content="text/html; charset=${look.charset}">`;
  return `<head>\n${meta}\n<title>${escapeHtml(doc.chrome?.headTitle ?? doc.title)}</title>\n${look.frame === 'page' ? `<meta name="SiteName" content="${escapeHtml(doc.page.siteName)}">\n<meta name="PubDate" content="${doc.page.publishedAt}">\n<link rel="stylesheet" href="/images/common.css">\n` : ''}${look.style ? `<style>\n${look.style}</style>\n` : ''}</head>`;
}

/** Chrome lines as the paragraphs a pasted page leaves at the top or bottom of the article. */
function chromeHtml(lines: readonly string[] | undefined): string[] {
  return (lines ?? []).map((line) => `<p>${escapeHtml(line)}</p>`);
}

export function renderHtml(doc: RenderDoc, look: HtmlLook): string {
  const blocks = doc.blocks.map((b) => blockHtml(b, doc, look)).filter(Boolean);
  const article = [...chromeHtml(doc.chrome?.before), ...blocks, ...chromeHtml(doc.chrome?.after)].join('\n');
  const body = look.cells === 'word' ? `<div class=WordSection1 style='layout-grid:15.6pt'>\n${article}\n</div>` : article;
  if (look.frame === 'fragment') return `${body}\n`;
  if (look.frame === 'bare') {
    return `<!DOCTYPE html>\n<html>\n${head(doc, look)}\n<body>\n<div id="zoom" class="article-content">\n${body}\n</div>\n</body>\n</html>\n`;
  }
  const p = doc.page;
  const nav = ['首页', '政务公开', '政务服务', '互动交流', '走进' + p.siteName.replace(/人民政府$|网站$/, '')]
    .map((t, i) => `<li><a href="${i === 0 ? '/' : `/${['', 'zwgk', 'zwfw', 'hdjl', 'zj'][i]}/`}">${escapeHtml(t)}</a></li>`)
    .join('');
  const prevNext = [
    p.prev ? `<p>上一篇：<a href="./">${escapeHtml(p.prev)}</a></p>` : '',
    p.next ? `<p>下一篇：<a href="./">${escapeHtml(p.next)}</a></p>` : '',
  ].join('');
  return `<!DOCTYPE html>
<html lang="zh-CN">
${head(doc, look)}
<body>
<div class="header"><div class="logo"><a href="/">${escapeHtml(p.siteName)}</a></div>
<div class="search"><form action="/search"><input type="text" name="q" placeholder="请输入关键字"><button>搜索</button></form></div>
<ul class="nav">${nav}</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="main">
<div class="article">
<h1 class="article-title">${(doc.chrome?.titleLines ?? [doc.title]).map(escapeHtml).join('<br />')}</h1>
<div class="article-info"><span>发布时间：${p.publishedAt}</span><span>来源：${escapeHtml(p.publisher)}</span><span>浏览次数：<em id="hits"></em></span><span>字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a></span></div>
<div class="TRS_Editor" id="zoom">
${body}
</div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
${prevNext ? `<div class="prev-next">${prevNext}</div>` : ''}
</div>
</div>
<div class="footer">
<p>主办单位：${escapeHtml(p.publisher)}　　网站标识码：${p.siteCode}</p>
<p><a href="https://beian.${SYNTH_DOMAIN}/">${escapeHtml(p.icp)}</a>　　联系我们　　网站地图</p>
</div>
</body>
</html>
`;
}
