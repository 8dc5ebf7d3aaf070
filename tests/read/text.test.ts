import { describe, expect, it } from 'vitest';
import { readText } from '../../pipeline/read/text.ts';

describe('text reader', () => {
  it('tab-separated lines form a table; a blank line ends it', () => {
    const doc = readText('标题行\n规章\t0\t0\t0\n行政规范性文件\t1\t0\t14\n\n下文');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['text', 'table', 'text']);
    const table = doc.blocks[1];
    expect(table.kind === 'table' && table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['规章', '0', '0', '0'],
      ['行政规范性文件', '1', '0', '14'],
    ]);
    expect(table.kind === 'table' && table.at).toEqual(['line 2', 'line 3']);
  });

  it('|-separated dumps, with Markdown rule lines skipped', () => {
    const doc = readText('| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 3 |');
    const table = doc.blocks[0];
    expect(table.kind === 'table' && table.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['信息内容', '本年制发件数'],
      ['规章', '3'],
    ]);
  });

  it('drops PDF page markers and footers', () => {
    const doc = readText('=== page 1 ===\n正文一\n- 1 -\n=== page 2 ===\n正文二\n第 2 页 共 6 页\n3/6');
    expect(doc.blocks.map((b) => b.kind === 'text' && b.text)).toEqual(['正文一', '正文二']);
  });

  it("reads a crawler's metadata header", () => {
    const doc = readText('标题: 某区2023年度政府信息公开工作年度报告\n发布时间: 2024-03-08 15:34\n发布机构: 某区办公室\n原文链接: https://www.example.gov.cn/a.htm\n==================== 正文 ====================\n正文');
    expect(doc.meta).toEqual({
      title: '某区2023年度政府信息公开工作年度报告',
      published_at: '2024-03-08 15:34',
      publisher: '某区办公室',
      url: 'https://www.example.gov.cn/a.htm',
    });
    expect(doc.blocks).toEqual([{ kind: 'text', text: '正文', at: 'line 6' }]);
  });

  it('CRLF line ends, full-width spaces and NBSP are whitespace', () => {
    const doc = readText('规章\u3000\u00a0\r\n下一行\r\n');
    expect(doc.blocks.map((b) => b.kind === 'text' && b.text)).toEqual(['规章', '下一行']);
  });
});
