/**
 * Where a report was published: a host for each region shaped the way government portals name
 * themselves (pinyin of the name, or its initials), department subdomains or paths, CMS-style
 * article paths, a publication date early in the next year, and the page furniture (site name,
 * ICP number, site code, phone).
 *
 * Every host lies under the reserved domain example.gov.invalid (www.luoyang.example.gov.invalid,
 * www.ly.example.gov.invalid): generated reports never carry a real government URL, and no link
 * in them can reach one.
 */
import { pinyin } from 'pinyin-pro';
import type { Agency } from './agencies.ts';
import { Rng } from './random.ts';

const ICP_PREFIX: Record<string, string> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑', '31': '沪', '32': '苏',
  '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂',
  '46': '琼', '50': '渝', '51': '蜀', '52': '黔', '53': '滇', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新',
};

const SUFFIX = /(壮族|回族|维吾尔|蒙古族|满族|土家族|苗族|彝族|藏族|侗族|瑶族|白族|哈尼族|傣族|黎族|畲族|羌族|朝鲜族|锡伯族)*(自治区|自治州|自治县|特别行政区|省|市|区|县|盟|旗|林区)$/;

/** The reserved domain (RFC 2606: .invalid never resolves) every generated host lies under. */
export const SYNTH_DOMAIN = 'example.gov.invalid';

const pinyinCache = new Map<string, { full: string; initials: string }>();

function romanise(name: string): { full: string; initials: string } {
  const stem = name.length > 2 ? name.replace(SUFFIX, '') || name : name;
  let hit = pinyinCache.get(stem);
  if (!hit) {
    const syllables = pinyin(stem, { toneType: 'none', type: 'array', v: true }) as string[];
    const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
    hit = { full: clean.join(''), initials: clean.map((s) => s[0] ?? '').join('') };
    pinyinCache.set(stem, hit);
  }
  return hit;
}

export interface Site {
  /** The host of the region's government portal. */
  regionHost: string;
  /** The host serving this agency's pages. */
  host: string;
  /** Path prefix of the agency's section on that host ('' for its own site). */
  section: string;
  siteName: string;
  publisher: string;
  icp: string;
  siteCode: string;
  phone: string;
  urlPattern: number;
}

/** Host of a region's portal; counties may hang off their city's domain. */
export function regionHost(seed: number, regionCode: string, regionName: string, tier: Agency['tier'], cityName: string | null): string {
  const rng = new Rng(seed, 'host', regionCode);
  const own = romanise(regionName);
  if (tier === 'province') return `www.${own.full}.${SYNTH_DOMAIN}`;
  if (tier === 'city') return rng.chance(0.5) ? `www.${own.full}.${SYNTH_DOMAIN}` : `www.${own.initials}.${SYNTH_DOMAIN}`;
  const city = cityName ? romanise(cityName) : null;
  const form = rng.weighted<number>([
    [0, 40],
    [1, city ? 30 : 0],
    [2, city ? 30 : 0],
  ]);
  if (form === 1) return `www.${city!.initials}${own.initials}.${SYNTH_DOMAIN}`;
  if (form === 2) return `${own.full}.${city!.full}.${SYNTH_DOMAIN}`;
  return `www.${own.full}.${SYNTH_DOMAIN}`;
}

export function siteOf(seed: number, agency: Agency): Site {
  const rng = new Rng(seed, 'site', agency.key);
  const portal = regionHost(seed, agency.regionCode, agency.regionName, agency.tier, agency.cityName);
  const domain = portal.replace(/^www\./, '');
  const portalName = `${agency.regionName}人民政府`;
  let host = portal;
  let section = '';
  let siteName = portalName;
  if (agency.kind === 'department') {
    const abbr = agency.department!.abbr;
    if (rng.chance(0.5)) {
      host = `${abbr}.${domain}`;
      siteName = agency.fullName;
    } else {
      section = `/${abbr}`;
    }
  } else if (agency.kind === 'township') {
    section = rng.chance(0.5) ? `/${romanise(agency.township!.name).initials}` : `/zwgk/xzjd/${agency.township!.code}`;
  }
  const office = agency.regionName + (agency.tier === 'province' ? '人民政府办公厅' : '人民政府办公室');
  const publisher = agency.kind === 'government' ? office : agency.fullName;
  const area = rng.int(370, 398);
  return {
    regionHost: portal,
    host,
    section,
    siteName,
    publisher,
    icp: `${ICP_PREFIX[agency.provinceCode] ?? '京'}ICP备${rng.int(5000000, 19999999)}号-${rng.int(1, 3)}`,
    siteCode: `${agency.regionCode.slice(0, 4)}${String(rng.int(0, 999999)).padStart(6, '0')}`,
    phone: `0${area}-${rng.int(2, 8)}${String(rng.int(0, 9999999)).padStart(7, '0')}`,
    urlPattern: rng.int(0, 3),
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Reports are due by 31 January; most appear in January, some weeks or months late. */
export function publicationDate(rng: Rng, year: number): { date: string; month: number; day: number; y: number } {
  const y = year + 1;
  const month = rng.weighted<number>([
    [1, 65],
    [2, 15],
    [3, 12],
    [rng.int(4, 12), 8],
  ]);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const max = month === 2 && leap ? 29 : DAYS[month - 1];
  const day = month === 1 ? rng.int(8, 31) : rng.int(1, max);
  return { date: `${y}-${pad2(month)}-${pad2(day)}`, month, day, y };
}

export function sourceUrl(rng: Rng, site: Site, when: { month: number; day: number; y: number }, pdf: boolean): string {
  const ym = `${when.y}${pad2(when.month)}`;
  const id = rng.int(100000, 9999999);
  const base = `https://${site.host}${site.section}`;
  if (pdf) return `${base}/uploadfiles/${ym}/${pad2(when.day)}${String(id).padStart(8, '0')}.pdf`;
  switch (site.urlPattern) {
    case 0:
      return `${base}/zwgk/zfxxgk/zfxxgknb/${ym}/t${ym}${pad2(when.day)}_${id}.html`;
    case 1:
      return `${base}/${when.y}-${pad2(when.month)}/${pad2(when.day)}/content_${id}.html`;
    case 2:
      return `${base}/contents/${rng.int(1000, 99999)}/${id}.html`;
    default:
      return `${base}/zfxxgk/gknb/${id}.jhtml`;
  }
}
