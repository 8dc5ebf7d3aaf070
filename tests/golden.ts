/**
 * Golden files: an input beside its expected output. On a mismatch the actual output is
 * written next to the expectation as `<name>-changed.json` (git-ignored), so the difference is
 * one `diff` away. Expectations are written only when GOLDEN_UPDATE=1 is set by a person.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function golden(expectedPath: string, actual: unknown): { expected: unknown; actual: unknown } {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  const changed = expectedPath.replace(/\.json$/, '-changed.json');
  if (process.env.GOLDEN_UPDATE === '1') writeFileSync(expectedPath, text);
  if (!existsSync(expectedPath)) throw new Error(`no golden file ${expectedPath}; write it with GOLDEN_UPDATE=1 after checking the output by hand`);
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
  const normalized = JSON.parse(text);
  if (JSON.stringify(expected) !== JSON.stringify(normalized)) writeFileSync(changed, text);
  return { expected, actual: normalized };
}
