import { describe, expect, it } from 'vitest';
import {
  findRegionMentions,
  findRegionsByName,
  isWithin,
  loadRegions,
  regionNameForms,
  resolveRegionFromText,
} from '../../pipeline/normalize/regions.ts';
import { regionsFromHost } from '../../pipeline/normalize/region-hosts.ts';

const codes = (name: string, opts?: Parameters<typeof findRegionsByName>[1]) => findRegionsByName(name, opts).map((r) => r.code);

describe('the GB/T 2260 hierarchy', () => {
  const { all, byCode, ancestors, children } = loadRegions();

  it('has 6-digit codes, one row per code, and the NBS counts', () => {
    expect(all.every((r) => /^\d{6}$/.test(r.code))).toBe(true);
    expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
    expect(all.filter((r) => r.level === 'province')).toHaveLength(31);
    expect(all.filter((r) => r.level === 'city')).toHaveLength(342);
    // 2978 areas less the three 不设区的地级市 listed again as their own county.
    expect(all.filter((r) => r.level === 'county')).toHaveLength(2975);
  });

  it('links every region to an existing parent, never to itself', () => {
    for (const r of all) {
      if (r.level === 'province') expect(r.parent).toBeNull();
      else expect(byCode.get(r.parent!)?.code, r.code).toBe(r.parent);
      expect(r.parent).not.toBe(r.code);
    }
  });

  it('walks ancestors from the province down', () => {
    expect(ancestors('410305').map((r) => r.name)).toEqual(['河南省', '洛阳市', '涧西区']);
    expect(ancestors('419001').map((r) => r.name)).toEqual(['河南省', '省直辖县级行政区划', '济源市']);
    expect(ancestors('441900').map((r) => `${r.code}${r.name}`)).toEqual(['440000广东省', '441900东莞市']);
    expect(children('410300').map((r) => r.name)).toContain('涧西区');
  });

  it('keeps development zones but flags them as not GB/T 2260', () => {
    expect(byCode.get('410371')).toMatchObject({ name: '洛阳高新技术产业开发区', level: 'county', gbt2260: false });
    expect(byCode.get('410305')?.gbt2260).toBe(true);
    expect(byCode.get('419000')?.gbt2260).toBe(false);
  });

  it('names a municipality city row after the municipality', () => {
    expect(byCode.get('310100')).toMatchObject({ name: '市辖区', displayName: '上海市', level: 'city', parent: '310000' });
    expect(byCode.get('500200')).toMatchObject({ name: '县', displayName: '重庆市' });
  });

  it('tells what lies within what', () => {
    expect(isWithin('410305', '410300')).toBe(true);
    expect(isWithin('410305', '410000')).toBe(true);
    expect(isWithin('419001', '410000')).toBe(true);
    expect(isWithin('310115', '310000')).toBe(true);
    expect(isWithin('410300', '410305')).toBe(false);
    expect(isWithin('410305', '410305')).toBe(false);
    expect(isWithin('130105', '410000')).toBe(false);
  });
});

describe('name forms', () => {
  const forms = (code: string) => regionNameForms(loadRegions().byCode.get(code)!).map((f) => f.text);

  it.each([
    ['410300', ['洛阳市', '洛阳']],
    ['410305', ['涧西区', '涧西']],
    ['410000', ['河南省', '河南']],
    ['150000', ['内蒙古自治区', '内蒙古']],
    ['450000', ['广西壮族自治区', '广西']],
    ['410304', ['瀍河回族区', '瀍河', '瀍河区']],
    ['500240', ['石柱土家族自治县', '石柱', '石柱县', '石柱自治县']],
    ['222400', ['延边朝鲜族自治州', '延边', '延边州', '延边自治州']],
    ['652700', ['博尔塔拉蒙古自治州', '博尔塔拉', '博尔塔拉州', '博尔塔拉自治州']],
    ['450328', ['龙胜各族自治县', '龙胜', '龙胜县', '龙胜自治县']],
    ['150724', ['鄂温克族自治旗', '鄂温克', '鄂温克旗', '鄂温克自治旗']],
    ['441803', ['清新区', '清新']],
    ['140109', ['万柏林区', '万柏林']],
    ['310115', ['浦东新区', '浦东']],
    ['410371', ['洛阳高新技术产业开发区', '高新技术产业开发区', '洛阳高新区', '高新区']],
  ])('%s is written %j', (code, expected) => {
    expect(forms(code)).toEqual(expected);
  });

  it('gives grouping rows no name', () => {
    expect(forms('310100')).toEqual([]);
    expect(forms('419000')).toEqual([]);
  });
});

describe('findRegionsByName', () => {
  it.each([
    ['洛阳', ['410300']],
    ['洛阳市', ['410300']],
    ['涧西', ['410305']],
    ['涧西区', ['410305']],
    ['河南', ['410000']],
    ['河南省', ['410000']],
    ['河南县', ['632324']],
    ['内蒙古', ['150000']],
    ['内蒙古自治区', ['150000']],
    ['广西', ['450000']],
    ['广西壮族自治区', ['450000']],
    ['瀍河', ['410304']],
    ['瀍河区', ['410304']],
    ['瀍河回族区', ['410304']],
    ['石柱土家族自治县', ['500240']],
    ['石柱县', ['500240']],
    ['恩施土家族苗族自治州', ['422800']],
    ['恩施州', ['422800']],
    ['北京', ['110000']],
    ['上海市', ['310000']],
    ['上海市浦东新区', ['310115']],
    ['重庆市城口县', ['500229']],
    ['济源市', ['419001']],
    ['河南省济源市', ['419001']],
    ['神农架林区', ['429021']],
    ['神农架', ['429021']],
    ['东莞市', ['441900']],
    ['嘉峪关市', ['620200']],
    ['吉林', ['220000']],
    ['吉林市', ['220200']],
    ['洛阳市涧西区', ['410305']],
    ['河南省洛阳市涧西区', ['410305']],
    ['洛阳涧西', ['410305']],
    ['河北省石家庄市新华区', ['130105']],
    ['石家庄新华区', ['130105']],
    ['沧州市新华区', ['130902']],
    ['平顶山新华区', ['410402']],
    ['新华区', ['130105', '130902', '410402']],
    ['城关区', ['540102', '620102']],
    ['铁西区', ['210106', '210303', '220302']],
    ['鼓楼区', ['320106', '320302', '350102', '410204']],
    ['市中区', ['370103', '370402', '511002', '511102']],
    ['济南市市中区', ['370103']],
    ['朝阳区', ['110105', '220104']],
    ['洛阳高新区', ['410371']],
    ['洛阳市高新技术产业开发区', ['410371']],
    ['平潭综合实验区', ['350128']],
    ['测试市', []],
    ['洛阳市人民政府', []],
    ['', []],
  ])('%s → %j', (name, expected) => {
    expect(codes(name)).toEqual(expected);
  });

  it('narrows by a parent code and by level', () => {
    expect(codes('新华区', { within: '130000' })).toEqual(['130105', '130902']);
    expect(codes('新华区', { within: '410400' })).toEqual(['410402']);
    expect(codes('高新区', { within: '410300' })).toEqual(['410371']);
    expect(codes('吉林市', { level: 'city' })).toEqual(['220200']);
    expect(codes('洛阳高新区', { includeZones: false })).toEqual([]);
  });

  it('accepts full-width spaces and letters', () => {
    expect(codes('洛阳市　涧西区')).toEqual(['410305']);
    expect(codes(' 涧西区 ')).toEqual(['410305']);
  });
});

describe('resolveRegionFromText', () => {
  it.each([
    ['河南省洛阳市涧西区人民政府办公室', '河南省洛阳市涧西区', '410305'],
    ['洛阳市涧西区人民政府办公室', '洛阳市涧西区', '410305'],
    ['涧西区人民政府办公室', '涧西区', '410305'],
    ['洛阳市人民政府', '洛阳市', '410300'],
    ['上海市人民政府办公厅', '上海市', '310000'],
    ['淮安市人民政府', '淮安市', '320800'],
    ['济南市市场监督管理局', '济南市', '370100'],
    ['涧西区重庆路街道办事处', '涧西区', '410305'],
    ['孟津区城关镇人民政府', '孟津区', '410308'],
    ['孟津县人民政府', '孟津', '410308'],
    ['洛阳高新区管委会', '洛阳高新区', '410371'],
  ])('%s starts with %s → %s', (text, matched, code) => {
    const m = resolveRegionFromText(text);
    expect(m.matched).toBe(matched);
    expect(m.region?.code).toBe(code);
    expect(m.candidates.map((r) => r.code)).toEqual([code]);
    expect(m.approximate).toBeNull();
  });

  it('matches 平潭综合实验区 to 平潭县, flagged approximate', () => {
    const m = resolveRegionFromText('平潭综合实验区管委会办公室');
    expect(m.region?.code).toBe('350128');
    expect(m.form).toBe('approximate');
    expect(m.approximate).toMatch(/平潭县/);
  });

  it('returns all candidates for an ambiguous name', () => {
    const m = resolveRegionFromText('新华区人民政府');
    expect(m.region).toBeNull();
    expect(m.matched).toBe('新华区');
    expect(m.candidates.map((r) => r.code)).toEqual(['130105', '130902', '410402']);
  });

  it('finds nothing in an unknown place, and does not read township names as regions', () => {
    expect(resolveRegionFromText('测试市').candidates).toEqual([]);
    expect(resolveRegionFromText('城关镇人民政府').candidates).toEqual([]);
    expect(resolveRegionFromText('新华街道办事处').candidates).toEqual([]);
    expect(resolveRegionFromText('长春路街道办事处').candidates).toEqual([]);
    expect(resolveRegionFromText('国家税务总局洛阳市税务局').candidates).toEqual([]);
  });

  it('finds region mentions in prose', () => {
    const mentions = findRegionMentions('2023 年，涧西区人民政府办公室坚决贯彻中央、省、市的部署，洛阳市…');
    expect(mentions.map((m) => [m.match.matched, m.match.region?.code])).toEqual([
      ['涧西区', '410305'],
      ['洛阳市', '410300'],
    ]);
  });
});

describe('regionsFromHost', () => {
  const host = (url: string) => regionsFromHost(url)?.candidates.map((r) => r.code) ?? null;

  it('reads a place from the pinyin of a .gov.cn host', () => {
    expect(host('https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm')).toEqual(['350128']);
    expect(host('http://www.luoyang.gov.cn/')).toEqual(['410300']);
    expect(host('https://www.shanghai.gov.cn/')).toEqual(['310000']);
    expect(host('http://www.sjz.gov.cn/')).toEqual(['130100']);
    expect(host('http://jx.ly.gov.cn/')).toEqual(['410305']);
  });

  it('gives every candidate of an ambiguous host', () => {
    expect(host('http://www.ly.gov.cn/')).toContain('410300');
    expect(host('http://www.ly.gov.cn/')!.length).toBeGreaterThan(10);
    expect(host('http://www.huaian.gov.cn/')).toEqual(['130728', '320800', '320803']);
  });

  it('ignores hosts outside .gov.cn and unparsable URLs', () => {
    expect(host('https://example.com/pingtan')).toBeNull();
    expect(host('not a url')).toBeNull();
  });
});
