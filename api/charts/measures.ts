/**
 * What a chart can show: each measure names the comparison subject and measure it reads
 * (api/data/comparisons.ts) and how to label it in Chinese and English. A new chart measure is
 * one row.
 */
import type { Subject } from '../data/comparisons.ts';

export interface ChartMeasure {
  name: string;
  subject: Subject;
  /** The comparison measure. */
  measure: string;
  zh: string;
  en: string;
  share?: boolean;
}

export const CHART_MEASURES: readonly ChartMeasure[] = [
  { name: 'applications', subject: 'applications', measure: 'new_received', zh: '新收政府信息公开申请', en: 'New disclosure applications' },
  { name: 'processed', subject: 'applications', measure: 'total_processed', zh: '办结申请', en: 'Applications processed' },
  { name: 'granted_share', subject: 'applications', measure: 'granted_share', zh: '予以公开和部分公开占比', en: 'Share granted in full or in part', share: true },
  { name: 'denied_share', subject: 'applications', measure: 'denied_share', zh: '不予公开占比', en: 'Share denied', share: true },
  { name: 'not_held_share', subject: 'applications', measure: 'not_held_share', zh: '本机关不掌握占比', en: 'Share not held by the agency', share: true },
  { name: 'reviews', subject: 'review', measure: 'review_total', zh: '行政复议案件', en: 'Administrative reconsiderations' },
  { name: 'reviews_corrected', subject: 'review', measure: 'review_corrected', zh: '行政复议结果纠正', en: 'Reconsiderations corrected' },
  { name: 'litigation', subject: 'review', measure: 'litigation_total', zh: '行政诉讼案件', en: 'Lawsuits' },
  { name: 'items_published', subject: 'proactive', measure: 'items_published', zh: '主动公开信息条数', en: 'Items proactively published' },
  { name: 'normative_documents', subject: 'proactive', measure: 'normative_documents_issued', zh: '制发行政规范性文件', en: 'Normative documents issued' },
];

export function chartMeasure(name: string): ChartMeasure | undefined {
  return CHART_MEASURES.find((m) => m.name === name);
}

/** The outcome buckets of the outcomes chart, in stacking order, with the measure each sums. */
export const OUTCOME_SERIES = [
  { key: 'granted', measure: 'granted', zh: '予以公开', en: 'Granted' },
  { key: 'partially_granted', measure: 'partially_granted', zh: '部分公开', en: 'Partly granted' },
  { key: 'denied', measure: 'denied', zh: '不予公开', en: 'Denied' },
  { key: 'unavailable', measure: 'unavailable', zh: '无法提供', en: 'Unavailable' },
  { key: 'not_processed', measure: 'not_processed', zh: '不予处理', en: 'Not processed' },
  { key: 'other', measure: 'other_handling', zh: '其他处理', en: 'Other' },
] as const;
