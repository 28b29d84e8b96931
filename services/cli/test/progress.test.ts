import type { IngestProgress, IngestSummary } from '@paperboy/ingest';
import { describe, expect, it } from 'vitest';
import { formatSummary, progressReporter } from '../src/commands/progress.ts';

function fakeStream(isTTY: boolean, columns = 60) {
  const written: string[] = [];
  const stream = { isTTY, columns, write: (text: string) => written.push(text) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

const step = (text: string, inserted: number): IngestProgress => ({
  source: 'huggingface',
  step: text,
  counts: { fetched: inserted, inserted, updated: 0, unchanged: 0, withdrawn: 0, skipped: 0 },
});

describe('progress on a terminal and off it', () => {
  it('rewrites one line in place on a terminal, cut to its width, and clears it at the end', () => {
    const { stream, written } = fakeStream(true, 40);
    const progress = progressReporter(stream);
    progress(step('page 1 stored', 100));
    progress(step('page 2 stored', 105));
    progress.end();
    expect(written).toEqual([
      '\r\x1b[2Kpage 1 stored · fetched 100, inserted …',
      '\r\x1b[2Kpage 2 stored · fetched 105, inserted …',
      '\r\x1b[2K',
    ]);
  });

  it('writes plain lines to a pipe or a log file', () => {
    const { stream, written } = fakeStream(false);
    const progress = progressReporter(stream);
    progress(step('page 1 stored', 100));
    progress.end();
    expect(written).toEqual(['page 1 stored · fetched 100, inserted 100, updated 0, skipped 0\n']);
  });
});

describe('the summary', () => {
  const summary: IngestSummary = {
    runId: 'run-1',
    source: 'huggingface',
    target: '2025-09-08',
    status: 'failed',
    fetched: 101,
    inserted: 99,
    updated: 1,
    unchanged: 0,
    withdrawn: 1,
    skipped: 1,
    skippedRecords: [{ position: 4, reason: 'paper.id is missing' }],
    positionUnit: 'item',
    error: { message: 'GET http://hf/api/daily_papers?p=1 answered 500', kind: 'http', retryable: true },
    durationMs: 812,
  };

  it('says what was stored, every skip with its reason, and why the run failed', () => {
    expect(formatSummary(summary).split('\n')).toEqual([
      'inserted 99, updated 1, unchanged 0, skipped 1',
      '  skipped item 4: paper.id is missing',
      'withdrawn 1 (stored and marked, so they are never mailed)',
      'failed: GET http://hf/api/daily_papers?p=1 answered 500 (temporary: try again later)',
      'the records received before the failure are stored',
      'run run-1 (812 ms); see `paperboy papers runs`',
      '',
    ]);
  });
});
