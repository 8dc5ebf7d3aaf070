/**
 * `gongkai serve` as a process (api/server.ts run directly, as the CLI's serve command runs it):
 * it listens, answers, and stops on SIGTERM; without a release it names the folder and exits 2.
 */
import { spawn } from 'node:child_process';

import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { tempDirs } from '../temp.ts';

const tempDir = tempDirs();

function serve(...args: string[]) {
  // node itself (not npx), so that SIGTERM reaches the server and no process is left behind
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('gongkai serve', () => {
  it('serves a release on a port and stops on SIGTERM', { timeout: 60_000 }, async () => {
    const s = serve('--release', inject('demoRelease'), '--port', '0');
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /GraphQL \+ GraphiQL\s+(http:\/\/\S+)/.exec(s.stderr());
          if (m) {
            clearInterval(timer);
            resolve(m[1]);
          }
        }, 100);
        s.exited.then(() => reject(new Error(`exited early: ${s.stderr()}`)));
      });
      expect(s.stderr()).toMatch(/^gongkai serve: release \d{4}-\d{2}-\d{2}\.\d+ \(\d+ reports\) from /);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ release { version } }' }) });
      expect((await res.json()).data.release.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
  });

  it('names the folder when it holds no release, and exits 2', { timeout: 60_000 }, async () => {
    const empty = tempDir('gongkai-norelease-');
    const s = serve('--release', empty);
    expect(await s.exited).toBe(2);
    expect(s.stderr()).toContain(`gongkai serve: no release in ${empty}: it has no release.json.`);
  });
});
