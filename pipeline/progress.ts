/**
 * Progress on long runs: a bar on a terminal (stderr), nothing when output is piped, so logs
 * and NDJSON on stdout stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** `note`: a count shown after the bar (OCR'd pages). */
  update(done: number, total: number, note?: string): void;
  stop(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {percentage}% | {value}/{total}{note} | {duration_formatted} elapsed, ETA {eta_formatted}`, hideCursor: true, etaBuffer: 200 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, note) {
      if (!started) {
        bar.start(total, 0, { note: '' });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, note === undefined ? undefined : { note: ` | ${note}` });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
