/**
 * robots.txt (RFC 9309): which paths of a host this fetcher may request, and the crawl delay a
 * host asks for. Pure: the text in, a decision out; run.ts fetches the file once per host and run.
 */

export interface RobotsRule {
  allow: boolean;
  /** The path pattern as written (with * and a final $), percent-encoding normalised. */
  pattern: string;
  matcher: RegExp;
}

export interface Robots {
  rules: RobotsRule[];
  /** Seconds between requests the host asks for (Crawl-delay), if it does. */
  crawlDelay: number | null;
}

/** Everything allowed: a host without robots.txt (404) or with an empty one. */
export const ALLOW_ALL: Robots = { rules: [], crawlDelay: null };
/** Nothing allowed: a host whose robots.txt answered with a server error (RFC 9309 2.3.1.4). */
export const DISALLOW_ALL: Robots = { rules: [rule(false, '/')], crawlDelay: null };

/** Percent-encodes what is not already (a robots.txt may hold raw UTF-8 paths), upper-case hex. */
function normalisePath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // keep as written
  }
  return encodeURI(decoded).replace(/%[0-9a-f]{2}/gi, (h) => h.toUpperCase());
}

function rule(allow: boolean, raw: string): RobotsRule {
  const pattern = normalisePath(raw);
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return { allow, pattern, matcher: new RegExp(`^${body}${anchored ? '$' : ''}`) };
}

/**
 * The rules of the group for `agent` (the product token, matched case-insensitively), or of the
 * `*` group when no group names it. Several groups naming the same agent are merged.
 */
export function parseRobots(text: string, agent: string): Robots {
  const token = agent.toLowerCase();
  const groups: { agents: string[]; rules: RobotsRule[]; delay: number | null }[] = [];
  let current: (typeof groups)[number] | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1].toLowerCase();
    const value = m[2].trim();
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) groups.push((current = { agents: [], rules: [], delay: null }));
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if ((field === 'allow' || field === 'disallow') && value) current.rules.push(rule(field === 'allow', value));
    else if (field === 'crawl-delay' && /^\d+(\.\d+)?$/.test(value)) current.delay = Number(value);
  }
  const named = groups.filter((g) => g.agents.some((a) => a !== '*' && token.startsWith(a)));
  const chosen = named.length ? named : groups.filter((g) => g.agents.includes('*'));
  const delays = chosen.map((g) => g.delay).filter((d): d is number => d !== null);
  return { rules: chosen.flatMap((g) => g.rules), crawlDelay: delays.length ? Math.max(...delays) : null };
}

/** The most specific (longest) matching rule decides; allow wins a tie; no match allows. */
export function isAllowed(robots: Robots, url: URL): boolean {
  if (url.pathname === '/robots.txt') return true;
  const path = normalisePath(url.pathname) + url.search;
  let best: RobotsRule | null = null;
  for (const r of robots.rules) {
    if (!r.matcher.test(path)) continue;
    if (!best || r.pattern.length > best.pattern.length || (r.pattern.length === best.pattern.length && r.allow && !best.allow)) best = r;
  }
  return best ? best.allow : true;
}
