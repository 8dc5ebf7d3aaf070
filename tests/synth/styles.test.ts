import { describe, expect, it } from 'vitest';
import { STYLES } from '../../pipeline/synth/index.ts';
import { corpus, numbersInTables, printedValues, squeeze } from './helpers.ts';

describe('styles', () => {
  const reports = corpus();

  it('uses every style, each with its extension', () => {
    const seen = new Map<string, number>();
    for (const r of reports) seen.set(r.truth.style, (seen.get(r.truth.style) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual([...STYLES].sort());
    for (const count of seen.values()) expect(count).toBeGreaterThan(40);
    for (const r of reports) {
      const ext = r.truth.style.startsWith('html') ? '.html' : r.truth.style === 'text-pdf' ? '.pdf.txt' : '.txt';
      expect(r.path.endsWith(ext)).toBe(true);
    }
  });

  it('draws only the styles asked for', () => {
    const only = corpus({ styles: ['text-pdf', 'html-gbk'], limit: 300 });
    expect(new Set(only.map((r) => r.truth.style))).toEqual(new Set(['text-pdf', 'html-gbk']));
  });

  it('encodes html-gbk in GB18030 that decodes to the same text, declared in the page', () => {
    const gbk = reports.filter((r) => r.truth.style === 'html-gbk');
    expect(gbk.length).toBeGreaterThan(40);
    const decoder = new TextDecoder('gb18030', { fatal: true });
    for (const r of gbk) {
      expect(r.truth.encoding).toBe('gb18030');
      expect(decoder.decode(r.bytes)).toBe(r.text);
      expect(r.text).toMatch(/<meta charset="gbk">|<meta http-equiv="Content-Type" content="text\/html; charset=gb2312">/);
      expect(Buffer.from(r.bytes).equals(Buffer.from(r.text, 'utf8'))).toBe(false);
    }
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    for (const r of reports.filter((x) => x.truth.encoding === 'utf-8')) expect(utf8.decode(r.bytes)).toBe(r.text);
  });

  it('prints exactly the truth values, in template order, in every style', () => {
    for (const r of reports) expect(numbersInTables(r), `${r.path} (${r.truth.style})`).toEqual(printedValues(r.truth));
  });

  it('prints blank cells with a mark and never as 0', () => {
    const withBlanks = reports.filter((r) => r.truth.blanks.length > 0);
    const styles = new Set(withBlanks.map((r) => r.truth.style));
    expect(styles.has('html-utf8') || styles.has('html-gbk')).toBe(true);
    expect(styles.has('text-pdf')).toBe(false);
  });

  it('looks like its real counterpart', () => {
    for (const r of reports) {
      const t = r.text;
      switch (r.truth.style) {
        case 'html-utf8':
        case 'html-gbk':
          expect(t).toMatch(/<table[^>]*>/);
          expect(t).toMatch(/rowspan="?22"?|rowspan="?20"?/);
          expect(t).toMatch(/colspan="?7"?/);
          break;
        case 'text-tab':
          expect(t).toMatch(/^一、本年新收政府信息公开申请数量\t\t/m);
          expect(t).toMatch(/^\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t$/m);
          break;
        case 'text-pipe':
          expect(t).toMatch(/^\|? ?一、本年新收政府信息公开申请数量 ?\|/m);
          break;
        case 'text-cells':
          expect(t).toMatch(/^一、本年新收政府信息公开申请数量\n[\d,—/-]+\n/m);
          break;
        case 'text-pdf':
          expect(t.startsWith('=== page 1 ===\n')).toBe(true);
          expect(t).toMatch(/^- 1 -$/m);
          expect(t).toMatch(/^一、本年新收政府信息公开申请数量 [\d ]+$/m);
          // 三、本年度办理结果 set vertically: its characters start lines of their own.
          expect(t.match(/^(三、|本|年|度|办|理|结|果)( .*)?$/gm)?.length ?? 0).toBeGreaterThanOrEqual(8);
          break;
      }
    }
    const html = reports.filter((r) => r.truth.style.startsWith('html')).map((r) => r.text);
    expect(html.some((t) => t.includes('class="nav"') && t.includes('id="zoom"'))).toBe(true);
    expect(html.some((t) => t.includes('class=MsoNormal') && t.includes('&nbsp;'))).toBe(true);
    expect(html.some((t) => /<td[^>]*><p align="center">/.test(t))).toBe(true);
  });

  it('writes sections 一 to 六, the statistics period and the title', () => {
    for (const { text, truth } of reports) {
      const s = squeeze(text);
      for (const h of ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '六、其他需要报告的事项']) expect(s, truth.path).toContain(h);
      expect(s).toMatch(/五、(政府信息公开工作)?存在(的主要)?问题及改进情况/);
      expect(s).toContain(`${truth.year}年1月1日`);
      expect(s).toContain(squeeze(truth.title));
    }
  });

  it('states the proactive items and the applications received as the truth records them', () => {
    let items = 0;
    let applications = 0;
    for (const { text, truth } of reports) {
      const s = squeeze(text);
      const stated = truth.figures.proactive_items_published;
      if (stated !== null) {
        expect(s, truth.path).toMatch(new RegExp(`(主动公开|发布)[^。，]*信息${stated}余?条`));
        items++;
      }
      const received = truth.narrative.applications_received;
      if (received !== null) {
        expect(received).toBe(truth.tables.applications!.new_received.total);
        expect(s).toMatch(received === 0 ? /未收到政府信息公开申请/ : new RegExp(`申请${received}件`));
        applications++;
      }
    }
    expect(items / reports.length).toBeGreaterThan(0.75);
    expect(applications / reports.length).toBeGreaterThan(0.3);
  });
});
