/**
 * Figures section 一 states: the ones the narrative check compares with the tables, tied to the
 * cell their wording is about, and the items published.
 */
import { describe, expect, it } from 'vitest';
import { proactiveItems, statements } from '../../pipeline/parse/prose.ts';

const said = (text: string) => statements(text).map((s) => [s.subject, s.value]);

describe('narrative statements', () => {
  it('a sentence about corrected or lost cases says nothing of how many cases there were', () => {
    expect(said('本年度，未发生因依申请公开被行政复议纠错或行政诉讼败诉的情况。')).toEqual([
      ['review_corrected', 0],
      ['litigation_lost', 0],
    ]);
  });

  it('a sentence saying there were no cases at all is about the totals', () => {
    expect(said('全年未发生因政府信息公开引发的行政复议和行政诉讼案件。')).toEqual([
      ['review_cases', 0],
      ['litigation_cases', 0],
    ]);
  });

  it('a count printed before the word, and a review not corrected', () => {
    expect(said('2024 年市科委有 1 件涉及政府信息公开工作的行政复议，该行政复议件未被复议审查机关纠错。涉及的行政诉讼数为 0 件。')).toEqual([
      ['review_cases', 1],
      ['litigation_cases', 0],
      ['review_corrected', 0],
    ]);
  });

  it('applications received', () => {
    expect(said('全年共收到政府信息公开申请 1,152 件，均按规定时限办理答复。')).toEqual([['applications_received', 1152]]);
  });
});

describe('items proactively published', () => {
  it.each([
    ['全年累计主动公开政府信息426条。', 426],
    ['在政府网站“政府信息公开”专栏主动公开各类信息 1 152 条。', 1152],
    ['市科委通过部门网站当年发布政府信息 393 件，其中包括：行政规范性文件 13 件。', 393],
    ['主动公开政府信息\n1152\n条', 1152],
  ])('%s → %i', (text, value) => expect(proactiveItems(text).value).toBe(value));

  it('granted applications are not items published', () => {
    expect(proactiveItems('依申请公开政府信息 12 件。').value).toBeNull();
  });
});

describe('figures as OCR prints them', () => {
  it('letters read for digits next to a digit', () => {
    expect(said('全年共受理政府信息公开申请I6件。')).toEqual([['applications_received', 16]]);
    expect(proactiveItems('全年主动公开政府信息1O5条。').value).toBe(105);
  });
});
