/**
 * The words around the tables: title, opening with the statistics period, sections 一 to 六
 * with their known heading variants, the proactive-items sentence in its many wordings and,
 * sometimes, a sentence stating the applications received that matches the printed table.
 * Every choice comes from the report's own Rng.
 */
import type { Layout, SectionCode, TableCode } from '../model/codes.ts';
import type { Agency } from './agencies.ts';
import type { PrintedTables } from './numbers.ts';
import type { Rng } from './random.ts';

export type Block =
  | { kind: 'title'; text: string; lines: string[] }
  /** `section`: which of the six template sections the heading opens (none for an extra one). */
  | { kind: 'heading'; text: string; section?: SectionCode }
  | { kind: 'subheading'; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'table'; table: TableCode };

export interface ProseInput {
  rng: Rng;
  agency: Agency;
  /** The agency (or, for some summaries, the region) as the title names it. */
  printedName: string;
  scope: 'agency' | 'region_summary';
  year: number;
  layout: Layout;
  tables: PrintedTables;
  items: number;
  /** Site name and host, for the sentence saying where the report can be downloaded. */
  site: { name: string; host: string; phone: string };
}

export interface Composed {
  title: string;
  blocks: Block[];
  /** proactive_items_published as section 一 states it, or null when it says nothing. */
  items: number | null;
  /** Applications received as section 一 states them, or null. */
  applications: number | null;
  quirks: string[];
}

/** 区, 县, 市 or 省: the word the region's own agencies use for it (全区, 我县…). */
function areaWord(agency: Agency): string {
  if (agency.tier === 'province') return agency.regionName.endsWith('市') ? '市' : '省';
  if (agency.tier === 'city') return '市';
  const last = agency.regionName.slice(-1);
  return last === '区' || last === '县' || last === '市' ? last : '区';
}

function officeOf(agency: Agency): string {
  return agency.regionName + (agency.tier === 'province' ? '人民政府办公厅' : '人民政府办公室');
}

/** How the agency refers to itself: 我局, 区政府办公室, 我街道… */
function selfWords(agency: Agency, scope: 'agency' | 'region_summary'): { we: string; self: string } {
  const area = areaWord(agency);
  if (scope === 'region_summary') return { we: `全${area}`, self: `全${area}各级行政机关` };
  switch (agency.kind) {
    case 'government':
      return { we: `我${area}`, self: `${area}政府` };
    case 'general_office':
      return { we: agency.tier === 'province' ? '我厅' : '我办', self: agency.tier === 'province' ? '省政府办公厅' : `${area}政府办公室` };
    case 'department': {
      const name = agency.fullName;
      const we = name.endsWith('委员会') ? '我委' : name.endsWith('厅') ? '我厅' : '我局';
      const own = name.slice(agency.regionName.length + (agency.cityName && name.startsWith(agency.cityName) ? agency.cityName.length : 0));
      return { we, self: `${area}${own}` };
    }
    case 'township': {
      const t = agency.township!.name;
      const we = t.endsWith('街道') ? '我街道' : t.endsWith('镇') ? '我镇' : '我乡';
      return { we, self: t.endsWith('街道') ? `${t}办事处` : `${t}人民政府` };
    }
  }
}

const NOTICE: Record<Layout, string> = {
  '2021': '《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）',
  '2019': '《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）',
};

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

export function composeTitle(rng: Rng, name: string, year: number): { title: string; quirk?: string } {
  const form = rng.weighted<number>([
    [0, 45],
    [1, 15],
    [2, 12],
    [3, 10],
    [4, 4],
  ]);
  switch (form) {
    case 0:
      return { title: `${name}${year}年政府信息公开工作年度报告` };
    case 1:
      return { title: `${name} ${year} 年政府信息公开工作年度报告` };
    case 2:
      return { title: `${name}${year}年度政府信息公开工作年度报告` };
    case 3:
      return { title: `${year}年${name}政府信息公开工作年度报告`, quirk: 'year_first_title' };
    default:
      return { title: `${name}${year}年政府信息公开年度报告`, quirk: 'short_title' };
  }
}

const INTROS = [
  '{year}年，{self}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，严格执行《中华人民共和国政府信息公开条例》，扎实推进政务公开各项工作。',
  '{year}年，{self}坚决贯彻中央、省、市关于政务公开工作的决策部署，坚持“以公开为常态、不公开为例外”原则，明确政务公开工作的职责定位，全力狠抓政务公开质量和成效，持续提升政务公开质效。',
  '{year}年，{we}紧紧围绕中心工作，不断深化政务公开，进一步加大信息公开力度，切实保障人民群众的知情权、参与权、表达权和监督权。',
  '{year}年，{we}以推进基层政务公开标准化规范化为抓手，聚焦群众关切，持续优化公开平台，政务公开工作取得新成效。',
  '{year}年，{self}按照上级关于政务公开工作的部署要求，围绕“决策、执行、管理、服务、结果”五公开，不断提高政府信息公开工作水平。',
];

const PROACTIVE_FILL = [
  '按照“决策、管理、执行、服务、结果”五公开要求，不断强化主动公开、重点领域公开，切实保障群众知情权和参与权。',
  '围绕财政预决算、重大建设项目、公共资源配置、社会公益事业等重点领域，及时准确发布政府信息。',
  '全年发布政策解读{k1}篇，召开新闻发布会{k2}场，及时回应社会关切。',
  '进一步规范政策文件发布和解读工作，做到政策文件与解读材料同步组织、同步审签、同步部署。',
];

const APPLICATION_FILL = [
  '严格执行依申请公开案件办理程序，完善政府信息公开申请流程，强化会商研判和合法性审查，持续提升办理答复质量。',
  '进一步规范依申请公开受理、审查、办理、答复等各环节工作，确保答复流程、文书规范。',
  '着力强化与申请人的直接沟通，准确了解申请人诉求，提高答复的及时性和针对性。',
];

const MANAGEMENT_FILL = [
  '严格执行“三审三校”信息发布制度，落实信息公开保密审查机制，坚持“先审查、后公开”“一事一审”工作原则。',
  '对行政规范性文件进行及时梳理，动态调整主动公开目录，确保政府信息准确、完整、及时。',
  '建立健全政府信息公开属性源头认定机制，加强政府信息源头管理，全面提升政府信息管理规范化水平。',
];

const PLATFORM_FILL = [
  '始终确保政府信息公开平台健康运行，加强政府网站与政务新媒体、移动客户端等互联互通，及时更新完善政务公开专栏。',
  '优化政府门户网站政府信息公开专栏设置，开设专题专栏{k1}个，进一步提升网站的检索、互动功能。',
  '加强政务新媒体规范管理，截至年底在运维政务新媒体{k2}个，全年发布政府公报{k3}期。',
];

const OVERSIGHT_FILL = [
  '将政务公开工作纳入年度目标考核，落实“日监测、周提醒、月通报、季考核”常态化监督管理工作机制。',
  '全年组织政务公开业务培训{k1}次，不断提高政务公开工作人员的业务能力和水平。',
  '对日常巡查中发现的问题督促即知即改，切实压实政务公开工作责任。',
];

const PROBLEMS = [
  '{year}年，{we}政府信息公开工作虽取得一定成效，但仍存在一些不足：一是政策解读方式较为单一，图解、视频等解读形式运用不多；二是政务公开工作人员业务能力有待进一步提升。',
  '对照新要求新任务，仍存在以下短板：一是主动公开工作还需进一步规范，部分栏目更新不够及时；二是依申请公开答复质量有待进一步提高。',
  '存在的主要问题：一是公开内容的全面性、及时性还需加强；二是政民互动渠道有待进一步拓宽，回应社会关切的时效性需进一步提升。',
];

const IMPROVEMENTS = [
  '下一步，{we}将进一步丰富政策解读方式，综合运用在线访谈、新闻发布会等多种方式发布政策信息，提高政策解读的质量和效果；加强业务培训，推动政务公开工作高质量发展。',
  '针对上述问题，{we}将加强对政务公开工作的组织领导，健全完善工作机制，加大业务培训力度，不断提高政府信息公开工作水平。',
  '改进措施：一是严格落实主动公开目录动态更新机制；二是加强依申请公开办理的会商研判，规范答复文书；三是加强监督考核，推动各项工作落实落细。',
];

const OTHER_MATTERS = [
  '{year}年度{we}未收取政府信息公开信息处理费。',
  '依据《政府信息公开信息处理费管理办法》规定，{year}年{we}未收取信息处理费。',
  '{we}按照《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，{year}年度未收取处理费。',
  '{year}年，{we}共收取政府信息公开信息处理费{fee}元。',
  '无。',
  '本年度无其他需要报告的事项。',
];

/** The sentence stating the number of items proactively published (section 一（一）). */
function itemsSentence(rng: Rng, n: number, year: number, spaced: boolean): { text: string; stated: number; approximate: boolean } {
  const num = (x: number) => (spaced ? ` ${x} ` : String(x));
  const form = rng.weighted<number>([
    [0, 20],
    [1, 18],
    [2, 16],
    [3, 14],
    [4, 12],
    [5, 10],
    [6, 5],
  ]);
  switch (form) {
    case 0:
      return { text: `全年主动公开各类信息${num(n)}条`, stated: n, approximate: false };
    case 1:
      return { text: `${year}年，主动公开政府信息${num(n)}条`, stated: n, approximate: false };
    case 2:
      return { text: `${year}年共主动公开政府信息${num(n)}条`, stated: n, approximate: false };
    case 3:
      return { text: `通过政府门户网站发布各类政府信息${num(n)}条`, stated: n, approximate: false };
    case 4:
      return { text: `全年累计主动公开政府信息${num(n)}条`, stated: n, approximate: false };
    case 5:
      return { text: `依托门户网站、政务新媒体等平台主动公开政府信息${num(n)}条`, stated: n, approximate: false };
    default: {
      const round = n >= 1000 ? Math.floor(n / 100) * 100 : Math.max(10, Math.floor(n / 10) * 10);
      return { text: `主动公开各类政府信息${num(round)}余条`, stated: round, approximate: true };
    }
  }
}

function applicationsSentence(rng: Rng, n: number, year: number, self: string, spaced: boolean): string {
  const num = (x: number) => (spaced ? ` ${x} ` : String(x));
  if (n === 0) {
    return rng.chance(0.5) ? `${year}年度${self}未收到政府信息公开申请` : '全年未收到政府信息公开申请';
  }
  return rng.pick([
    `${year}年，共受理政府信息公开申请${num(n)}件，均在法定期限内予以答复`,
    `全年共收到政府信息公开申请${num(n)}件，均按规定时限办理答复`,
    `本年度新收政府信息公开申请${num(n)}件`,
  ]);
}

function subheads(rng: Rng): string[] {
  const suffix = rng.pick(['方面', '情况', '']);
  const platform = rng.pick(['平台建设', '政府信息公开平台建设', '信息公开平台建设']);
  return [`（一）主动公开${suffix}`, `（二）依申请公开${suffix}`, `（三）政府信息管理${suffix}`, `（四）${platform}${suffix}`, `（五）监督保障${suffix}`];
}

export function composeDocument(p: ProseInput): Composed {
  const { rng, agency, year, layout, scope } = p;
  const quirks: string[] = [];
  const { we, self } = selfWords(agency, scope);
  const area = areaWord(agency);
  const vars = {
    year,
    we,
    self,
    k1: rng.int(3, 60),
    k2: rng.int(2, 40),
    k3: rng.int(1, 12),
    fee: rng.pick([100, 200, 400, 650, 1200, 3940]),
  };
  const spaced = rng.chance(0.2);
  const { title, quirk } = composeTitle(rng, p.printedName, year);
  if (quirk) quirks.push(quirk);

  const blocks: Block[] = [];
  const titleLines = title.startsWith(p.printedName) && rng.chance(0.5) ? [p.printedName, title.slice(p.printedName.length).trim()] : [title];
  blocks.push({ kind: 'title', text: title, lines: titleLines });

  // Opening: the legal basis, who compiled it (summaries: from all agencies of the area), the period.
  const basis = `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）${rng.chance(0.6) ? `和${NOTICE[layout]}` : ''}要求`;
  const compiled =
    scope === 'region_summary'
      ? rng.pick([
          `，由${officeOf(agency)}汇总${agency.tier === 'county' ? `本${area}各部门、各乡镇（街道）` : `${area}政府各部门`}政府信息公开工作情况编制而成。`,
          `，汇总全${area}各有关单位政府信息公开工作情况编制而成。`,
        ])
      : '编制。';
  const period = rng.pick([
    `本报告中所列数据统计期限自${year}年1月1日起至${year}年12月31日止。`,
    `本报告所列数据的统计期限为${year}年1月1日至${year}年12月31日。`,
    `报告所列统计期限自${year}年1月1日至${year}年12月31日。`,
    `本年度报告中所列数据统计期限从${year}年1月1日到12月31日止。`,
    `本报告中所列数据统计期限为${year}年1月1日至12月31日。`,
  ]);
  const contact = rng.chance(0.5)
    ? `本报告电子版可在“${p.site.name}”网站（${p.site.host}）查阅或下载。如对本报告有任何疑问，请与${agency.kind === 'department' || agency.kind === 'township' ? agency.fullName : officeOf(agency)}联系（电话：${p.site.phone}）。`
    : '';
  blocks.push({ kind: 'para', text: basis + compiled + period + contact });

  // 一、总体情况
  blocks.push({ kind: 'heading', text: '一、总体情况', section: 'overview' });
  blocks.push({ kind: 'para', text: fill(rng.pick(INTROS), vars) });
  const heads = subheads(rng);
  const inline = rng.chance(0.3);
  const useHeads = layout === '2021' || rng.chance(0.6);

  const statedItems = rng.chance(0.88) ? itemsSentence(rng, p.items, year, spaced) : null;
  if (statedItems?.approximate) quirks.push('approximate_figure');
  const printedReceived = p.tables.applications.new_received.total;
  const statesApplications = printedReceived !== null && rng.chance(0.45);
  const applications = statesApplications ? printedReceived : null;
  const reviewZero = Object.values(p.tables.review_litigation).every((r) => Object.values(r).every((x) => !x));

  const proactivePara = [
    rng.pick(['发挥政府门户网站政务信息发布主阵地作用，', '坚持以公开为常态、不公开为例外，', '']),
    statedItems ? `${statedItems.text}，` : '',
    fill(rng.pick(PROACTIVE_FILL), vars),
  ].join('');
  const applicationPara = [
    fill(rng.pick(APPLICATION_FILL), vars),
    statesApplications ? `${applicationsSentence(rng, applications!, year, self, spaced)}。` : '',
    reviewZero && rng.chance(0.5) ? '全年未发生因政府信息公开引发的行政复议和行政诉讼案件。' : '',
  ].join('');
  const paras = [proactivePara, applicationPara, fill(rng.pick(MANAGEMENT_FILL), vars), fill(rng.pick(PLATFORM_FILL), vars), fill(rng.pick(OVERSIGHT_FILL), vars)];
  paras.forEach((text, i) => {
    if (!useHeads) {
      blocks.push({ kind: 'para', text });
    } else if (inline) {
      blocks.push({ kind: 'para', text: `${heads[i]}。${text}` });
    } else {
      blocks.push({ kind: 'subheading', text: heads[i] });
      blocks.push({ kind: 'para', text });
    }
  });

  blocks.push({ kind: 'heading', text: '二、主动公开政府信息情况', section: 'proactive' });
  blocks.push({ kind: 'table', table: 'proactive' });
  blocks.push({ kind: 'heading', text: '三、收到和处理政府信息公开申请情况', section: 'applications' });
  blocks.push({ kind: 'table', table: 'applications' });
  const fourth = rng.chance(0.05) ? '四、因政府信息公开工作被申请行政复议、提起行政诉讼情况' : '四、政府信息公开行政复议、行政诉讼情况';
  blocks.push({ kind: 'heading', text: fourth, section: 'review_litigation' });
  blocks.push({ kind: 'table', table: 'review_litigation' });
  const fifth = rng.weighted<string>([
    ['五、存在的主要问题及改进情况', 60],
    ['五、政府信息公开工作存在的主要问题及改进情况', 30],
    ['五、存在问题及改进情况', 10],
  ]);
  blocks.push({ kind: 'heading', text: fifth, section: 'problems' });
  blocks.push({ kind: 'para', text: fill(rng.pick(PROBLEMS), vars) });
  blocks.push({ kind: 'para', text: fill(rng.pick(IMPROVEMENTS), vars) });
  blocks.push({ kind: 'heading', text: '六、其他需要报告的事项', section: 'other_matters' });
  blocks.push({ kind: 'para', text: fill(rng.pick(OTHER_MATTERS), vars) });

  return { title, blocks, items: statedItems ? statedItems.stated : null, applications, quirks };
}
