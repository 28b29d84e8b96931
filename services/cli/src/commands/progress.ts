import type { IngestProgress, IngestSummary } from '@paperboy/ingest';

export interface Progress {
  (progress: IngestProgress): void;
  /** Clears a live line so the summary starts on a clean line. */
  end(): void;
}

function describe(progress: IngestProgress): string {
  const { counts } = progress;
  return `${progress.step} · fetched ${counts.fetched}, inserted ${counts.inserted}, updated ${counts.updated}, skipped ${counts.skipped}`;
}

/**
 * Progress on stderr, so stdout carries only the summary. A terminal gets one line rewritten in
 * place; a pipe or a log file gets plain lines, because carriage returns would garble them.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): Progress {
  let live = false;
  const report = (progress: IngestProgress) => {
    const text = describe(progress);
    if (stream.isTTY) {
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      live = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  return Object.assign(report, {
    end() {
      if (live) stream.write('\r\x1b[2K');
      live = false;
    },
  });
}

/** The summary a person reads at the end: counts first, then every skip with its reason. */
export function formatSummary(summary: IngestSummary): string {
  const lines = [
    `inserted ${summary.inserted}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped}`,
  ];
  for (const skip of summary.skippedRecords)
    lines.push(`  skipped ${summary.positionUnit} ${skip.position}: ${skip.reason}`);
  if (summary.withdrawn > 0)
    lines.push(`withdrawn ${summary.withdrawn} (stored and marked, so they are never mailed)`);
  if (summary.error) {
    lines.push(
      `failed: ${summary.error.message}${summary.error.retryable ? ' (temporary: try again later)' : ''}`,
    );
    if (summary.fetched > 0) lines.push('the records received before the failure are stored');
  }
  lines.push(`run ${summary.runId} (${summary.durationMs} ms); see \`paperboy papers runs\``);
  return `${lines.join('\n')}\n`;
}
