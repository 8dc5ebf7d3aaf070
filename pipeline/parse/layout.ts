/**
 * Which template a table follows, decided from the words the table prints (LAYOUT_EVIDENCE in
 * labels.ts), never from the year alone. Some agencies keep the 2019 table after 2021.
 */
import type { Layout } from '../model/codes.ts';
import { LAYOUT_EVIDENCE, normalizeCell } from './labels.ts';
import type { Token } from './tokens.ts';

/** The table's words, normalized (labels.ts), run together. */
export function textOf(tokens: Token[]): string {
  let text = '';
  for (const t of tokens) if (t.kind === 'text') text += normalizeCell(t.text);
  return text;
}

export function detectLayout(table: 'proactive' | 'applications', tokens: Token[]): Layout | null {
  const text = textOf(tokens);
  const hits = (layout: Layout) => LAYOUT_EVIDENCE[table][layout].filter((re) => re.test(text)).length;
  const h2019 = hits('2019');
  const h2021 = hits('2021');
  if (h2019 === h2021) return null;
  return h2021 > h2019 ? '2021' : '2019';
}
