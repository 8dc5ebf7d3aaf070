/** The command line as users run it: `npm run -s gongkai -- parse FILE...`. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run('npx', ['tsx', 'pipeline/cli.ts', ...args], { encoding: 'utf8' }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('gongkai parse', () => {
  it('prints one JSON line per file, an error object in place of a bad file, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-cli-'));
    const binary = join(dir, 'scan.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255, 0, 9]));
    const missing = join(dir, 'missing.html');
    const { code, stdout } = await cli('parse', 'data/reports/real/jianxi-district-office-2023.txt', missing, binary, 'data/reports/real/city-2025-standard.html');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.source)).toEqual(['data/reports/real/jianxi-district-office-2023.txt', missing, binary, 'data/reports/real/city-2025-standard.html']);
    expect(lines[0]).toMatchObject({ agency: '涧西区人民政府办公室', year: 2023, layout: '2021' });
    expect(lines[1].error).toEqual({ code: 'unreadable', message: `${missing}: no such file` });
    expect(lines[2].error.code).toBe('binary_file');
    expect(lines[3].tables.applications.new_received.total).toBe(14069);
  });

  it('--pretty indents the record', async () => {
    const { stdout } = await cli('parse', '--pretty', 'data/reports/real/city-2025-standard.html');
    expect(stdout.split('\n')[1]).toMatch(/^ {2}"source": /);
  });

  it('usage errors exit 2 with one line', async () => {
    const none = await cli('parse');
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('gongkai: parse needs at least one FILE');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^gongkai: unknown command "frobnicate"/);
  });

  it('--help lists every command', async () => {
    const { stdout } = await cli('--help');
    expect(stdout).toMatch(/parse FILE\.\.\./);
  });
});
