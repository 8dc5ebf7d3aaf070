import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPARTMENT_ALIASES } from '../../pipeline/normalize/aliases.ts';
import { agencyFromTitle, normalizeAgency, readAgencyQuery, type AgencyInput } from '../../pipeline/normalize/agencies.ts';
import { findRegionsByPinyin } from '../../pipeline/normalize/region-hosts.ts';
import { loadRegions } from '../../pipeline/normalize/regions.ts';

const real = (file: string) => readFileSync(new URL(`../../data/reports/real/${file}`, import.meta.url), 'utf8');
const codesOf = (r: { warnings: { code: string }[] }) => r.warnings.map((w) => w.code);

describe('agencyFromTitle', () => {
  it.each([
    ['涧西区人民政府办公室 2023 年政府信息公开工作年度报告', '涧西区人民政府办公室'],
    ['2019年上海市人民政府办公厅政府信息公开工作年度报告', '上海市人民政府办公厅'],
    ['平潭综合实验区2023年度政府信息公开工作年度报告', '平潭综合实验区'],
    ['淮安市人民政府2024年政府信息公开工作年度报告', '淮安市人民政府'],
    ['洛阳市人民政府信息公开工作年度报告', '洛阳市人民政府'],
    ['洛阳市教育局2022年度政府信息公开年度报告', '洛阳市教育局'],
    ['测试市2025年政府信息公开工作年度报告', '测试市'],
  ])('%s → %s', (title, agency) => expect(agencyFromTitle(title)).toBe(agency));
});

describe('the real reports', () => {
  it('涧西区人民政府办公室, 2023: a district general office reporting for itself', () => {
    const text = real('jianxi-district-office-2023.txt');
    const title = text.trim().split('\n')[0];
    for (const input of [{ agency: '涧西区人民政府办公室', text }, { agency: null, title, text }] as AgencyInput[]) {
      const r = normalizeAgency(input);
      expect(r).toMatchObject({
        agency_id: '410305.general_office',
        name: '涧西区人民政府办公室',
        region_code: '410305',
        region_candidates: ['410305'],
        region_status: 'resolved',
        region_source: 'name',
        agency_kind: 'general_office',
        level: 'county',
        scope: 'agency',
        scope_evidence: null,
        warnings: [],
      });
    }
  });

  it('上海市人民政府办公厅, 2019: a municipality general office (province level)', () => {
    const html = real('shanghai-general-office-2019.html');
    const title = /<p[^>]*>([^<]*年度报告)<\/p>/.exec(html)![1];
    expect(agencyFromTitle(title)).toBe('上海市人民政府办公厅');
    const r = normalizeAgency({ agency: null, title, text: html.replace(/<[^>]+>/g, '') });
    expect(r).toMatchObject({
      agency_id: '310000.general_office',
      region_code: '310000',
      region_status: 'resolved',
      agency_kind: 'general_office',
      level: 'province',
      // It speaks for the 市政府 (代表市政府共受理), but a general office is never read as a summary.
      scope: 'agency',
    });
  });

  it('淮安市人民政府, 2024: a city government whose tables count the whole city', () => {
    const text = real('huaian-city-2024.pdf.txt');
    const r = normalizeAgency({ agency: '淮安市人民政府', title: '淮安市人民政府2024年政府信息公开工作年度报告', text });
    expect(r).toMatchObject({
      agency_id: '320800.government',
      region_code: '320800',
      region_status: 'resolved',
      agency_kind: 'government',
      level: 'city',
      scope: 'region_summary',
      scope_evidence: '全市共受理政府信息公开申请',
    });
  });

  it('平潭综合实验区, 2023: a zone summary, matched approximately to 平潭县', () => {
    const page = real('pingtan-zone-2023.page.txt');
    const body = page.slice(page.indexOf('正文'));
    const url = /原文链接: (\S+)/.exec(page)![1];
    for (const input of [
      { agency: '平潭综合实验区', text: body },
      { agency: null, title: '平潭综合实验区2023年度政府信息公开工作年度报告', text: body, sourceUrl: url },
    ] as AgencyInput[]) {
      const r = normalizeAgency(input);
      expect(r).toMatchObject({
        agency_id: '350128.other.管委会',
        name: '平潭综合实验区',
        region_code: '350128',
        region_status: 'resolved',
        agency_kind: 'other',
        level: 'county',
        scope: 'region_summary',
      });
      expect(r.scope_evidence).toContain('汇总平潭综合实验区各有关单位');
      expect(codesOf(r)).toEqual(['region_approximate']);
    }
  });

  it('测试市, 2025: a place that does not exist stays unresolved', () => {
    const html = real('city-2025-standard.html');
    const title = /<title>([^<]*)/.exec(html)![1];
    const r = normalizeAgency({ agency: null, title, text: html.replace(/<[^>]+>/g, '') });
    expect(r).toMatchObject({
      agency_id: '~测试市.government',
      name: '测试市',
      region_code: null,
      region_candidates: [],
      region_status: 'unresolved',
      agency_kind: 'government',
      level: null,
      // 全市各级行政机关扎实推进… is not taken as evidence of a summary (see SUMMARY_EVIDENCE).
      scope: 'agency',
    });
    expect(codesOf(r)).toEqual(['region_unresolved', 'kind_assumed']);
  });
});

/** name, agency_id, region_status, agency_kind, level, region_candidates (when not just the code). */
type Row = [string, string, string, string, string | null, string[]?];

const TABLE: Row[] = [
  // provinces, autonomous regions, municipalities
  ['河南省人民政府', '410000.government', 'resolved', 'government', 'province'],
  ['河南省人民政府办公厅', '410000.general_office', 'resolved', 'general_office', 'province'],
  ['河南省财政厅', '410000.dept.财政厅', 'resolved', 'department', 'province'],
  ['内蒙古自治区人民政府', '150000.government', 'resolved', 'government', 'province'],
  ['广西壮族自治区教育厅', '450000.dept.教育厅', 'resolved', 'department', 'province'],
  ['新疆维吾尔自治区人民政府办公厅', '650000.general_office', 'resolved', 'general_office', 'province'],
  ['上海市人民政府办公厅', '310000.general_office', 'resolved', 'general_office', 'province'],
  ['北京市人民政府', '110000.government', 'resolved', 'government', 'province'],
  ['重庆市发展和改革委员会', '500000.dept.发展和改革委员会', 'resolved', 'department', 'province'],
  // cities, prefectures, leagues
  ['洛阳市人民政府', '410300.government', 'resolved', 'government', 'city'],
  ['洛阳市人民政府办公室', '410300.general_office', 'resolved', 'general_office', 'city'],
  ['洛阳市政府办公室', '410300.general_office', 'resolved', 'general_office', 'city'],
  ['洛阳市教育局', '410300.dept.教育局', 'resolved', 'department', 'city'],
  ['洛阳市发改委', '410300.dept.发展和改革委员会', 'resolved', 'department', 'city'],
  ['洛阳市市场监督管理局', '410300.dept.市场监督管理局', 'resolved', 'department', 'city'],
  ['洛阳市人民政府国有资产监督管理委员会', '410300.dept.国有资产监督管理委员会', 'resolved', 'department', 'city'],
  ['洛阳市公安局涧西分局', '410300.dept.公安局涧西分局', 'resolved', 'department', 'city'],
  ['洛阳市人民政府研究室', '410300.other.研究室', 'resolved', 'other', 'city'],
  ['淮安市人民政府', '320800.government', 'resolved', 'government', 'city'],
  ['石家庄市自然资源和规划局', '130100.dept.自然资源和规划局', 'resolved', 'department', 'city'],
  ['延边朝鲜族自治州人民政府', '222400.government', 'resolved', 'government', 'city'],
  ['恩施州人民政府', '422800.government', 'resolved', 'government', 'city'],
  ['阿拉善盟行政公署', '152900.government', 'resolved', 'government', 'city'],
  ['东莞市人民政府', '441900.government', 'resolved', 'government', 'city'],
  ['嘉峪关市人民政府', '620200.government', 'resolved', 'government', 'city'],
  // counties and districts, municipalities' districts, 自治县, 省直辖县级
  ['涧西区人民政府办公室', '410305.general_office', 'resolved', 'general_office', 'county'],
  ['洛阳市涧西区人民政府', '410305.government', 'resolved', 'government', 'county'],
  ['河南省洛阳市涧西区教育局', '410305.dept.教育局', 'resolved', 'department', 'county'],
  ['涧西区自然资源和规划局', '410305.dept.自然资源和规划局', 'resolved', 'department', 'county'],
  ['瀍河回族区人民政府', '410304.government', 'resolved', 'government', 'county'],
  ['瀍河区人民政府', '410304.government', 'resolved', 'government', 'county'],
  ['石柱土家族自治县人民政府', '500240.government', 'resolved', 'government', 'county'],
  ['石柱县人民政府', '500240.government', 'resolved', 'government', 'county'],
  ['昆明市石林彝族自治县人民政府', '530126.government', 'resolved', 'government', 'county'],
  ['济源市人民政府', '419001.government', 'resolved', 'government', 'county'],
  ['仙桃市人民政府', '429004.government', 'resolved', 'government', 'county'],
  ['神农架林区人民政府', '429021.government', 'resolved', 'government', 'county'],
  ['上海市浦东新区人民政府', '310115.government', 'resolved', 'government', 'county'],
  ['北京市朝阳区人民政府', '110105.government', 'resolved', 'government', 'county'],
  ['重庆市城口县人民政府', '500229.government', 'resolved', 'government', 'county'],
  ['天津市滨海新区人民政府', '120116.government', 'resolved', 'government', 'county'],
  ['西藏自治区拉萨市城关区人民政府', '540102.government', 'resolved', 'government', 'county'],
  ['兰州市城关区教育局', '620102.dept.教育局', 'resolved', 'department', 'county'],
  ['石家庄市新华区人民政府', '130105.government', 'resolved', 'government', 'county'],
  ['河北省沧州市新华区人民政府', '130902.government', 'resolved', 'government', 'county'],
  ['孟津县人民政府', '410308.government', 'resolved', 'government', 'county'],
  // townships: 街道, 镇, 乡
  ['涧西区重庆路街道办事处', '410305.township.重庆路街道', 'resolved', 'township', 'township'],
  ['洛阳市涧西区工农街道办事处', '410305.township.工农街道', 'resolved', 'township', 'township'],
  ['孟津区城关镇人民政府', '410308.township.城关镇', 'resolved', 'township', 'township'],
  ['栾川县陶湾镇人民政府', '410324.township.陶湾镇', 'resolved', 'township', 'township'],
  ['嵩县车村镇政府', '410325.township.车村镇', 'resolved', 'township', 'township'],
  ['洛宁县底张乡人民政府', '410328.township.底张乡', 'resolved', 'township', 'township'],
  ['城关镇人民政府', '~.township.城关镇', 'unresolved', 'township', 'township', []],
  // development zones and other areas
  ['洛阳高新技术产业开发区管理委员会', '410371.other.管委会', 'resolved', 'other', 'county'],
  ['洛阳市高新技术产业开发区管委会', '410371.other.管委会', 'resolved', 'other', 'county'],
  ['郑州航空港经济综合实验区管理委员会', '410173.other.管委会', 'resolved', 'other', 'county'],
  ['苏州工业园区管理委员会', '320576.other.管委会', 'resolved', 'other', 'county'],
  ['平潭综合实验区', '350128.other.管委会', 'resolved', 'other', 'county'],
  ['平潭综合实验区管委会办公室', '350128.general_office', 'resolved', 'general_office', 'county'],
  // ambiguous names: flagged with their candidates, never guessed
  ['新华区人民政府', '~新华区.government', 'ambiguous', 'government', 'county', ['130105', '130902', '410402']],
  ['城关区教育局', '~城关区.dept.教育局', 'ambiguous', 'department', 'county', ['540102', '620102']],
  ['铁西区人民政府', '~铁西区.government', 'ambiguous', 'government', 'county', ['210106', '210303', '220302']],
  ['鼓楼区人民政府办公室', '~鼓楼区.general_office', 'ambiguous', 'general_office', 'county', ['320106', '320302', '350102', '410204']],
  ['市中区人民政府', '~市中区.government', 'ambiguous', 'government', 'county', ['370103', '370402', '511002', '511102']],
  ['朝阳区人民政府', '~朝阳区.government', 'ambiguous', 'government', 'county', ['110105', '220104']],
  // no region at all
  ['测试市', '~测试市.government', 'unresolved', 'government', null, []],
  ['河南省测试市人民政府', '410000~测试市.government', 'unresolved', 'government', null, []],
  ['区政府办公室', '~.general_office', 'unresolved', 'general_office', null, []],
];

describe('a table of real-style names', () => {
  it('has at least 50 rows', () => expect(TABLE.length).toBeGreaterThanOrEqual(50));

  it.each(TABLE)('%s → %s', (name, id, status, kind, level, candidates) => {
    const r = normalizeAgency({ agency: name });
    const code = id.match(/^(\d{6})\./)?.[1] ?? null;
    expect(r.agency_id).toBe(id);
    expect(r.region_status).toBe(status);
    expect(r.region_code).toBe(code);
    expect(r.region_candidates).toEqual(candidates ?? [code]);
    expect(r.agency_kind).toBe(kind);
    expect(r.level).toBe(level);
    expect(r.scope).toBe('agency');
    if (status === 'ambiguous') expect(codesOf(r)).toContain('region_ambiguous');
    if (status === 'unresolved') expect(codesOf(r)).toContain('region_unresolved');
  });

  it('says why a name is resolved only approximately or is a zone or an old name', () => {
    expect(codesOf(normalizeAgency({ agency: '洛阳高新区管委会' }))).toEqual(['region_not_gbt2260']);
    expect(normalizeAgency({ agency: '孟津县人民政府' }).warnings).toEqual([
      { code: 'region_name_variant', message: '孟津县 is written for 孟津区' },
    ]);
    const ambiguous = normalizeAgency({ agency: '新华区人民政府' }).warnings[0];
    expect(ambiguous.message).toContain('130105 河北省石家庄市新华区');
    expect(ambiguous.message).toContain('410402 河南省平顶山市新华区');
  });

  it('reports a missing agency', () => {
    const r = normalizeAgency({ agency: null });
    expect(r.agency_id).toBe('~.other');
    expect(codesOf(r)).toContain('agency_missing');
  });
});

describe('agency_id', () => {
  const id = (agency: string, extra: Partial<AgencyInput> = {}) => normalizeAgency({ agency, ...extra }).agency_id;

  it('is the same for the ways one agency is written', () => {
    const variants = [
      '涧西区人民政府办公室',
      '洛阳市涧西区人民政府办公室',
      '河南省洛阳市涧西区人民政府办公室',
      '涧西区政府办公室',
      '涧西区政府办',
      '洛阳涧西区人民政府办公室',
      '涧西区　人民政府办公室',
      ' 涧西区 人民政府 办公室 ',
      '涧西区人民政府办公室（区政府办）',
      '洛阳市\u3000涧西区人民政府办公室\n',
    ];
    expect(new Set(variants.map((v) => id(v)))).toEqual(new Set(['410305.general_office']));
  });

  it('is the same for a department or township written in several ways', () => {
    expect(new Set(['洛阳市发改委', '洛阳市发展和改革委员会', '河南省洛阳市发展和改革委员会', '洛阳市人民政府发展和改革委员会'].map((v) => id(v)))).toEqual(
      new Set(['410300.dept.发展和改革委员会']),
    );
    expect(new Set(['涧西区重庆路街道办事处', '洛阳市涧西区重庆路街道', '涧西区重庆路街道办'].map((v) => id(v)))).toEqual(
      new Set(['410305.township.重庆路街道']),
    );
    expect(new Set(['平潭综合实验区', '平潭综合实验区管委会', '平潭综合实验区管理委员会', '平潭综合实验区党工委管委会'].map((v) => id(v)))).toEqual(
      new Set(['350128.other.管委会']),
    );
  });

  it('meets the full name when the place comes from context', () => {
    expect(id('区政府办', { manifest: { path: 'a.txt', region_code: '410305' } })).toBe('410305.general_office');
    expect(id('区政府办公室', { title: '洛阳市涧西区人民政府办公室2023年政府信息公开工作年度报告' })).toBe('410305.general_office');
    expect(id('区政府办公室', { text: real('jianxi-district-office-2023.txt') })).toBe('410305.general_office');
  });

  it('differs between agencies', () => {
    const names = [
      '涧西区人民政府办公室',
      '涧西区人民政府',
      '涧西区教育局',
      '涧西区财政局',
      '涧西区重庆路街道办事处',
      '涧西区工农街道办事处',
      '西工区人民政府办公室',
      '洛阳市人民政府办公室',
      '洛阳市人民政府',
      '洛阳市教育局',
      '河南省人民政府办公厅',
      '石家庄市新华区人民政府',
      '沧州市新华区人民政府',
      '洛阳高新区管委会',
      '平潭综合实验区',
      '平潭县人民政府',
    ];
    expect(new Set(names.map((n) => id(n))).size).toBe(names.length);
  });
});

describe('the alias table', () => {
  it('gives a department written short the id of its official name, at every level', () => {
    for (const { written, official } of DEPARTMENT_ALIASES) {
      for (const place of ['河南省', '洛阳市', '洛阳市涧西区']) {
        expect(normalizeAgency({ agency: place + written }).agency_id, place + written).toBe(normalizeAgency({ agency: place + official }).agency_id);
      }
    }
    expect(normalizeAgency({ agency: '河南省住建厅' }).agency_id).toBe('410000.dept.住房和城乡建设厅');
    expect(normalizeAgency({ agency: '涧西区人社局' }).agency_id).toBe('410305.dept.人力资源和社会保障局');
  });
});

describe('a searched name, read by the same rules', () => {
  it.each([
    ['涧西区政府办公室', ['410305'], 'general_office', null],
    ['洛阳市涧西区人民政府办公室', ['410305'], 'general_office', null],
    ['河南省发改委', ['410000'], 'dept.发展和改革委员会', null],
    ['发改委', [], 'dept.发展和改革委员会', null],
    ['区政府办', [], 'general_office', '区'],
    ['人社局', [], 'dept.人力资源和社会保障局', null],
    ['涧西区', ['410305'], null, null],
    ['鼓楼区', ['320106', '320302', '350102', '410204'], null, null],
    ['民政', [], null, null],
  ])('%s → regions %j, key %s', (text, regions, key, levelChar) => {
    const q = readAgencyQuery(text);
    expect([q.regions, q.key, q.levelChar]).toEqual([regions, key, levelChar]);
    // A name with a place and a kind reads as the id the identity step gives it.
    if (regions.length === 1 && key) expect(`${regions[0]}.${key}`).toBe(normalizeAgency({ agency: text }).agency_id);
  });

  it('keeps a department\'s stem to find it at other levels, and the words for a substring search', () => {
    expect(readAgencyQuery('住建局').departmentStem).toBe(readAgencyQuery('河南省住房和城乡建设厅').departmentStem);
    expect(readAgencyQuery('民政').words).toBe('民政');
  });

  it('reads a place written in pinyin, full syllables only', () => {
    expect(readAgencyQuery('jianxi')).toMatchObject({ regions: ['410305'], placeBy: 'pinyin', key: null });
    expect(findRegionsByPinyin('Jianxi District').map((r) => r.code)).toEqual(['410305']);
    expect(findRegionsByPinyin('luoyang').map((r) => r.code)).toEqual(['410300']);
    expect(findRegionsByPinyin('henan').map((r) => r.code)).toEqual(['410000']);
    expect(findRegionsByPinyin('gulou').map((r) => r.code)).toEqual(['320106', '320302', '350102', '410204']);
    expect(findRegionsByPinyin('jx')).toEqual([]);
    expect(findRegionsByPinyin('涧西')).toEqual([]);
  });
});

describe('the region with context', () => {
  it('picks the candidate whose province or city the report names', () => {
    const r = normalizeAgency({ agency: '新华区人民政府', text: '2023年，石家庄市新华区人民政府认真贯彻…' });
    expect(r).toMatchObject({ region_code: '130105', region_status: 'resolved', region_source: 'text', agency_id: '130105.government' });
    expect(codesOf(r)).toEqual(['region_from_text']);
  });

  it('stays ambiguous when the context names several candidates or none', () => {
    expect(normalizeAgency({ agency: '新华区人民政府', text: '河北省…' }).region_status).toBe('ambiguous');
    expect(normalizeAgency({ agency: '新华区人民政府', text: '全区…' }).region_status).toBe('ambiguous');
  });

  it('uses the source URL host only when it picks one region', () => {
    const sjz = normalizeAgency({ agency: '新华区人民政府', sourceUrl: 'http://www.sjz.gov.cn/col/1/art.html' });
    expect(sjz).toMatchObject({ region_code: '130105', region_source: 'host' });
    expect(codesOf(sjz)).toEqual(['region_from_host']);
    const pingtan = normalizeAgency({ agency: '区政府办公室', sourceUrl: 'https://www.pingtan.gov.cn/x.htm' });
    expect(pingtan).toMatchObject({ region_code: '350128', region_status: 'resolved', region_source: 'host' });
    // ly.gov.cn is 洛阳, 临沂, 龙岩, …: not used.
    const ly = normalizeAgency({ agency: '区政府办公室', sourceUrl: 'http://www.ly.gov.cn/x.htm' });
    expect(ly).toMatchObject({ region_code: null, region_status: 'unresolved' });
  });

  it('keeps the name over a host that disagrees, with a warning', () => {
    const r = normalizeAgency({ agency: '涧西区人民政府办公室', sourceUrl: 'https://www.pingtan.gov.cn/x.htm' });
    expect(r.region_code).toBe('410305');
    expect(codesOf(r)).toEqual(['region_host_conflict']);
  });
});

describe('scope', () => {
  it.each([
    ['本报告根据《条例》要求，汇总本区各部门政府信息公开工作情况编制而成。', 'region_summary'],
    ['本报告由区政府办公室汇总编制。', 'region_summary'],
    ['2023年，全县共受理政府信息公开申请120件。', 'region_summary'],
    ['全区累计收到政府信息公开申请45件', 'region_summary'],
    ['2023年，区政府共受理政府信息公开申请3件。', 'agency'],
    ['全区各部门完成部门行政规范性文件清理。', 'agency'],
    ['本报告由区政府办公室编制。', 'agency'],
  ])('a government that writes "%s" → %s', (text, scope) => {
    expect(normalizeAgency({ agency: '涧西区人民政府', text }).scope).toBe(scope);
  });

  it('never reads a general office or a department as a summary', () => {
    const text = '本报告汇总本区各部门政府信息公开工作情况编制而成。';
    expect(normalizeAgency({ agency: '涧西区人民政府办公室', text }).scope).toBe('agency');
    expect(normalizeAgency({ agency: '涧西区教育局', text }).scope).toBe('agency');
    expect(normalizeAgency({ agency: '洛阳高新区管委会', text }).scope).toBe('region_summary');
  });
});

describe('volume', () => {
  // How fast is a figure for bench/, not a timed test: a busy machine would fail it.
  it('normalises 100,000 names, and every one that names its city lands in its county', () => {
    const counties = loadRegions().all.filter((r) => r.level === 'county');
    const kinds = ['人民政府', '人民政府办公室', '教育局', '财政局', '重庆路街道办事处', '城关镇人民政府', '市场监督管理局'];
    const names = Array.from({ length: 100_000 }, (_, i) => {
      const county = counties[i % counties.length];
      const city = loadRegions().byCode.get(county.parent!)!;
      return (i % 2 ? city.displayName : '') + county.name + kinds[i % kinds.length];
    });
    const wrong: string[] = [];
    names.forEach((agency, i) => {
      const { region_code } = normalizeAgency({ agency });
      if (i % 2 && region_code !== counties[i % counties.length].code) wrong.push(`${agency}: ${region_code}`);
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
