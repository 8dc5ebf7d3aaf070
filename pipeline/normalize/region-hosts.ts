/**
 * Regions from the host of a government website. Local governments name their sites after the
 * place, in pinyin (www.pingtan.gov.cn → 平潭) or its initials (www.ly.gov.cn → 洛阳? 临沂?
 * 龙岩? …). Initials collide often, so a host only counts when it points to exactly one region;
 * the caller says so in its warnings. Only `.gov.cn` hosts are read: any other host (a mirror, a
 * news site) says nothing about the publisher.
 */
import { pinyin } from 'pinyin-pro';
import { isWithin, loadRegions, regionNameForms, type Region } from './regions.ts';

/** Labels that name the kind of site, never a place. */
const NON_PLACE_LABELS = new Set(['www', 'gov', 'cn', 'zwgk', 'xxgk', 'zfxxgk', 'wap', 'm']);

let cachedKeys: Map<string, Region[]> | undefined;

/**
 * pinyin key → regions. Each region contributes the pinyin of the name people write (the short
 * form when there is one: 涧西, not 涧西区) joined (jianxi) and its initials (jx).
 */
function loadHostKeys(): Map<string, Region[]> {
  if (cachedKeys) return cachedKeys;
  const keys = new Map<string, Region[]>();
  for (const region of loadRegions().all) {
    if (!region.gbt2260) continue;
    const forms = regionNameForms(region);
    const written = forms.find((f) => f.form === 'short')?.text ?? forms[0]?.text;
    if (!written) continue;
    const syllables = pinyin(written, { toneType: 'none', type: 'array' });
    for (const key of [syllables.join(''), syllables.map((s) => s[0]).join('')]) {
      if (key.length < 2) continue;
      const list = keys.get(key) ?? [];
      if (!list.includes(region)) list.push(region);
      keys.set(key, list);
    }
  }
  cachedKeys = keys;
  return cachedKeys;
}

export interface HostMatch {
  host: string;
  /** Regions the host can name, sorted by code; one element when the host is usable. */
  candidates: Region[];
}

/**
 * The regions a source URL's host names. The label just before .gov.cn names the place
 * (ly.gov.cn); a label to its left narrows it when it names a place within (jx.ly.gov.cn →
 * 涧西区 of 洛阳市), and is ignored when it names nothing there (sthjj.ly.gov.cn, a department).
 */
export function regionsFromHost(url: string): HostMatch | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (!host.endsWith('.gov.cn')) return null;
  const labels = host
    .slice(0, -'.gov.cn'.length)
    .split('.')
    .filter((l) => l && !NON_PLACE_LABELS.has(l));
  const keys = loadHostKeys();
  const main = labels.at(-1);
  let candidates = main ? (keys.get(main) ?? []) : [];
  const sub = labels.at(-2);
  if (sub && candidates.length > 0) {
    const within = (keys.get(sub) ?? []).filter((r) => candidates.some((p) => isWithin(r.code, p.code)));
    if (within.length > 0) candidates = within;
  }
  return { host, candidates: [...candidates].sort((a, b) => a.code.localeCompare(b.code)) };
}

let cachedSpelled: Map<string, Region[]> | undefined;

/**
 * pinyin spelling → regions: each region's official name and the short form people write, in
 * full pinyin without tones (涧西区 → jianxiqu, jianxi). Initials are left out: jx is a dozen places.
 */
function loadSpelled(): Map<string, Region[]> {
  if (cachedSpelled) return cachedSpelled;
  const entries = new Map<string, { region: Region; official: boolean }[]>();
  for (const region of loadRegions().all) {
    for (const form of regionNameForms(region)) {
      if (form.form !== 'official' && form.form !== 'short') continue;
      const key = pinyin(form.text, { toneType: 'none', type: 'array' }).join('');
      const list = entries.get(key) ?? [];
      if (!list.some((e) => e.region === region)) list.push({ region, official: form.form === 'official' });
      entries.set(key, list);
    }
  }
  // As with names (regions.ts): a short form shared by a province and a smaller place means the
  // province (henan is 河南省, not 河南县).
  const keys = new Map<string, Region[]>();
  for (const [key, list] of entries) {
    const province = list.some((e) => e.region.level === 'province');
    keys.set(key, list.filter((e) => !province || e.region.level === 'province' || e.official).map((e) => e.region));
  }
  cachedSpelled = keys;
  return keys;
}

/** English words for a region's unit, dropped from a spelling before it is looked up (Jianxi District). */
const ENGLISH_UNITS = /(district|county|city|province|prefecture|region|banner)$/;

/**
 * The regions a name written in pinyin can mean (jianxi, Jianxi District, luoyang shi), sorted
 * by code; empty when the text is not pinyin of a region's name.
 */
export function findRegionsByPinyin(text: string): Region[] {
  const spelled = text.toLowerCase().replace(/[\s\-'’_.]+/g, '');
  if (!/^[a-zü]{2,}$/.test(spelled)) return [];
  const keys = loadSpelled();
  const found = keys.get(spelled) ?? keys.get(spelled.replace(ENGLISH_UNITS, '')) ?? [];
  return [...found].sort((a, b) => a.code.localeCompare(b.code));
}
