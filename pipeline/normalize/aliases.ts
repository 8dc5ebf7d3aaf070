/**
 * How people write department names: short forms and common abbreviations → the official name.
 * One row per written form. Read by the agency identity step (agencies.ts: 洛阳市发改委 and
 * 洛阳市发展和改革委员会 get one agency_id) and, through it, by the API's agency search, so a
 * name finds in the API what the pipeline made of it.
 *
 * A row applies to the whole department name (what follows the place: 发改委 in 河南省发改委),
 * never to a part of it. Only forms that name one department everywhere are here: 文旅局 is
 * 文化和旅游局 in one city and 文化广电和旅游局 in the next, so it is left as written.
 */

export interface DepartmentAlias {
  written: string;
  official: string;
}

export const DEPARTMENT_ALIASES: readonly DepartmentAlias[] = [
  { written: '发改委', official: '发展和改革委员会' },
  { written: '发展改革委', official: '发展和改革委员会' },
  { written: '发展改革委员会', official: '发展和改革委员会' },
  { written: '发改局', official: '发展和改革局' },
  { written: '发展改革局', official: '发展和改革局' },
  { written: '住建局', official: '住房和城乡建设局' },
  { written: '住建厅', official: '住房和城乡建设厅' },
  { written: '住建委', official: '住房和城乡建设委员会' },
  { written: '住房城乡建设局', official: '住房和城乡建设局' },
  { written: '住房城乡建设厅', official: '住房和城乡建设厅' },
  { written: '人社局', official: '人力资源和社会保障局' },
  { written: '人社厅', official: '人力资源和社会保障厅' },
  { written: '人力资源社会保障局', official: '人力资源和社会保障局' },
  { written: '人力资源社会保障厅', official: '人力资源和社会保障厅' },
  { written: '卫健委', official: '卫生健康委员会' },
  { written: '卫生健康委', official: '卫生健康委员会' },
  { written: '卫健局', official: '卫生健康局' },
  { written: '市监局', official: '市场监督管理局' },
  { written: '市场监管局', official: '市场监督管理局' },
  { written: '应急局', official: '应急管理局' },
  { written: '应急厅', official: '应急管理厅' },
  { written: '医保局', official: '医疗保障局' },
  { written: '退役军人局', official: '退役军人事务局' },
  { written: '退役军人厅', official: '退役军人事务厅' },
  { written: '政务办', official: '政务服务和数据管理局' },
  { written: '工信局', official: '工业和信息化局' },
  { written: '工信厅', official: '工业和信息化厅' },
  { written: '科技局', official: '科学技术局' },
  { written: '科技厅', official: '科学技术厅' },
  { written: '交通局', official: '交通运输局' },
  { written: '城管局', official: '城市管理局' },
  { written: '教体局', official: '教育体育局' },
  { written: '自规局', official: '自然资源和规划局' },
  { written: '资规局', official: '自然资源和规划局' },
  { written: '国资委', official: '国有资产监督管理委员会' },
  { written: '民宗委', official: '民族宗教事务委员会' },
  { written: '外办', official: '外事办公室' },
];

const BY_WRITTEN: ReadonlyMap<string, string> = new Map(DEPARTMENT_ALIASES.map((a) => [a.written, a.official]));

/** The official name of a department as written (the name itself when no row matches). */
export function officialDepartment(name: string): string {
  return BY_WRITTEN.get(name) ?? name;
}

/** The units a department name ends with, longest first: what differs between levels (住房和城乡建设局 / 厅). */
const DEPARTMENT_UNITS: readonly string[] = ['委员会', '办公室', '局', '厅', '委', '办', '署'];

/**
 * A department's name without its unit: the same department at another level (住房和城乡建设局
 * of a city, 住房和城乡建设厅 of a province) shares it.
 */
export function departmentStem(official: string): string {
  const unit = DEPARTMENT_UNITS.find((u) => official.endsWith(u) && official.length > u.length + 1);
  return unit ? official.slice(0, -unit.length) : official;
}
