import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode } from '../../pipeline/read/decode.ts';
import { readHtml, stripInlineMarkup } from '../../pipeline/read/html.ts';
import { scanHtml, type ScanCallbacks } from '../../pipeline/read/html-scan.ts';

/** Markup that tokenizers disagree on when they get it wrong. */
const PIECES = [
  '<!DOCTYPE html>', '<!doctypex>', '<!x>', '<!>', '<?xml x?>', '</ td>', '</>', '< p>', '<p/>', '<br/>', '</br>', '</p>',
  '<td colspan = "2" >', '<td colspan=2/>', '&amp;', '&nbsp', '&nbsp;', '&lt;p&gt;', '&#x4e00;', '&#20013;', '&notin', '&notit;',
  '&ampx', '&', 'a<b', '<', '>', '<title>x y</title>', '<TITLE>t</TITLE >', '<title>a<b>c</titlex></title/>',
  '<td a="&amp;" b=\'x\' c=y&amp;z d>', '<p a=>', '</p x="y">', '</td/>', '<TD>', '<Td ROWSPAN=2>', '<td colspan="2&#48;">',
  '<meta name="PubDate" content="a&amp;b">', '<p\n>', '<p\t\fclass=title>', '<h1 class="x title">年度报告</h1>', '<div id=Title>',
  '<table>', '</table>', '<tr>', '<td>', '</td>', '<th>', '<tbody>', '<form>', '</form>', '<li>', '<dd>', '<image>', '<p/x>',
  '<p//>', '<p a/b>', '<p a = "1"b=2>', '</TD>', '&#0;', '&#x110000;', '&frac12', '&lt', '<p a="&#x26;lt;">',
  // Declined by the scanner, read by htmlparser2 alike:
  '<!--', '<![CDATA[x]]>', '<script>x</script>', '<style>', '<svg><title>t</title></svg>', '<textarea>', '<title>a&amp;b</title>',
  '<p =x>', '<p a="', '<br/ >',
];

/** A seeded generator: the same cases every run. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

const page = (name: string) => decode(new Uint8Array(readFileSync(`data/reports/real/${name}`))).text;
const same = (html: string) => expect(readHtml(html, 'html', 200, 'scan')).toEqual(readHtml(html, 'html', 200, 'htmlparser2'));

const noop = () => {};
const counting: ScanCallbacks = {
  onopentagname: noop, onattribname: noop, onattribdata: noop, onattribtext: noop, onattribend: noop, onopentagend: noop,
  onselfclosingtag: noop, onclosetag: noop, ontext: noop, ontextstring: noop, onend: noop,
};

describe('HTML scanner', () => {
  it('reads real pages itself, to the same document model as htmlparser2', () => {
    for (const name of ['city-2025-standard.html', 'shanghai-general-office-2019.html']) {
      const html = page(name);
      expect(scanHtml(stripInlineMarkup(html), counting)).toBe(true);
      same(html);
    }
  });

  it('gives htmlparser2 what it does not handle', () => {
    for (const html of ['<p>a<!--b', '<p><![CDATA[x]]></p>', '<p>a<script>var x = "<p>";</p>', '<svg><title>t</title></svg>', '<title>a&amp;b</title>', '<p a="b'])
      expect(scanHtml(html, counting)).toBe(false);
    for (const html of ['<p>a &amp; b</p>', '<title>标题</title><p>x</p>', '<!DOCTYPE html><p a=1 b c="d">e</p>', '<p>1 < 2</p>'])
      expect(scanHtml(html, counting)).toBe(true);
  });

  it('builds the same document as htmlparser2 from every mix of tricky markup and text', () => {
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      let html = '';
      const k = 1 + next(12);
      for (let j = 0; j < k; j++) html += next(10) < 6 ? PIECES[next(PIECES.length)] : '主动公开 12 三'.slice(next(8));
      same(html);
    }
  });

  it('builds the same document from real pages with markup inserted, text cut out, or the end cut off', () => {
    const pages = [page('city-2025-standard.html'), page('shanghai-general-office-2019.html')];
    const next = random(11);
    for (let i = 0; i < 300; i++) {
      let html = pages[i % pages.length];
      for (let j = 1 + next(4); j > 0; j--) {
        const at = next(html.length + 1);
        const how = next(10);
        html = how < 7 ? html.slice(0, at) + PIECES[next(PIECES.length)] + html.slice(at) : how < 9 ? html.slice(0, at) + html.slice(at + 1 + next(5)) : html.slice(0, at);
      }
      same(html);
    }
  });
});
