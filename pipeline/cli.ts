/**
 * The command line: one case per command, errors caught once at the bottom. A usage error
 * prints one line and exits 2; --debug prints the stack.
 *
 *   gongkai parse FILE...        canonical record per file, as NDJSON
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, GongkaiError } from './errors.ts';
import { MANIFEST_FILE, manifestKey, readManifest, type ManifestRow } from './normalize/manifest.ts';
import { parseReport } from './parse/report.ts';

const USAGE = `usage: gongkai <command> [options]

commands:
  parse FILE...     print the canonical record of each report as one JSON line (NDJSON);
                    a manifest.csv beside the files (path,agency,region_code,year,
                    source_url,published_at) wins over what the files say
                    --pretty   indent the JSON (one object after another)

options for every command:
  --debug           print stack traces
  --help            this text`;

/** The manifest.csv beside a file, read once per folder; its rows win over what the file says. */
function manifestLookup(): (file: string) => Promise<ManifestRow | null> {
  const byFolder = new Map<string, Promise<Map<string, ManifestRow> | null>>();
  return async (file) => {
    const folder = dirname(file);
    let manifest = byFolder.get(folder);
    if (!manifest) {
      manifest = readFile(join(folder, MANIFEST_FILE), 'utf8').then(
        (text) => readManifest(text, folder),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw err;
        },
      );
      byFolder.set(folder, manifest);
    }
    return (await manifest)?.get(manifestKey(file, folder)) ?? null;
  };
}

async function parse(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { pretty: { type: 'boolean' }, debug: { type: 'boolean' } } });
  if (positionals.length === 0) throw new CliError('parse needs at least one FILE');
  const manifestOf = manifestLookup();
  for (const file of positionals) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      process.stdout.write(`${JSON.stringify({ source: file, error: { code: 'unreadable', message: `${file}: ${reason}` } })}\n`);
      continue;
    }
    const outcome = parseReport(bytes, file, { manifest: await manifestOf(file) });
    process.stdout.write(`${values.pretty ? JSON.stringify(outcome, null, 2) : JSON.stringify(outcome)}\n`);
  }
}

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = { parse };

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`unknown command "${command}"\n${USAGE}`);
  await run(rest.filter((a) => a !== '--debug'));
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CliError) {
    console.error(`gongkai: ${err.message}`);
    process.exitCode = 2;
  } else if (err instanceof GongkaiError) {
    console.error(`gongkai: ${err.message}${debug ? `\n${err.stack}` : ''}`);
    process.exitCode = 1;
  } else {
    console.error(debug && err instanceof Error ? err.stack : `gongkai: ${err instanceof Error ? err.message : String(err)} (run with --debug for the stack)`);
    process.exitCode = 1;
  }
});
