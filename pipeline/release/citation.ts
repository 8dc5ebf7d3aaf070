/**
 * How to cite a release: a one-line citation (release.json `citation`) and CITATION.cff
 * (Citation File Format 1.2.0). Pure: version, date and counts come in as arguments.
 */
import { DATASET } from './datapackage.ts';
import { GENERATED_BOTH } from './generated.ts';

export interface CitationInfo {
  version: string;
  /** YYYY-MM-DD, the day the release was built. */
  date: string;
  reports: number;
  agencies: number;
  /** Input files the release was built from. */
  files: number;
  /** Set when the release holds generated reports (generated.ts): said first, in the title too. */
  notice: string | null;
}

const TITLE = '政府信息公开工作年度报告 dataset';

/** "Gongkai contributors. Gongkai 政府信息公开工作年度报告 dataset, release 2026-11-26.1 (2026-11-26). 805 reports …" */
export function citationText(c: CitationInfo): string {
  return (
    `${DATASET.authors}. Gongkai ${titleOf(c)}, release ${c.version} (${c.date}). ` +
    (c.notice ? `${c.notice} ` : '') +
    `${c.reports} reports of ${c.agencies} agencies from ${c.files} source files; Parquet and CSV tables with datapackage.json. ` +
    `License: ${DATASET.license.name}.`
  );
}

/** The title, naming generated sample data first when the release holds it. */
const titleOf = (c: CitationInfo) => (c.notice ? `${TITLE} (${GENERATED_BOTH})` : TITLE);

/** YAML double-quoted scalar (JSON string syntax is valid YAML). */
const q = (s: string) => JSON.stringify(s);

export function citationCff(c: CitationInfo): string {
  const lines = [
    'cff-version: 1.2.0',
    `message: ${q('If you use this dataset, please cite it as below.')}`,
    'type: dataset',
    `title: ${q(`Gongkai: ${titleOf(c)}`)}`,
    `abstract: ${q(c.notice ? `${c.notice} ${DATASET.description}` : DATASET.description)}`,
    `version: ${q(c.version)}`,
    `date-released: ${q(c.date)}`,
    'authors:',
    `  - name: ${q(DATASET.authors)}`,
    `license: ${DATASET.license.name}`,
    'keywords:',
    ...DATASET.keywords.map((k) => `  - ${q(k)}`),
  ];
  return `${lines.join('\n')}\n`;
}
