import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchResults } from './figures.ts';

export const RESULTS_FILE = new URL('../results/latest.json', import.meta.url);

/**
 * This run's figures over the previous file's. A daily run replaces daily, naive and sign-up
 * together (the ratio needs both sides from one run; a skipped part is dropped, not kept stale);
 * a plan-only run replaces only the planning figures, a sign-up-only run only the sign-up figures.
 * Each section keeps its own date and commit.
 */
export function mergeResults(
  previous: BenchResults,
  current: BenchResults,
  mode: 'daily' | 'plan-only' | 'signup',
): BenchResults {
  const { daily, naive, signup, plan } = previous;
  const kept: BenchResults =
    mode === 'daily'
      ? plan
        ? { plan }
        : {}
      : mode === 'plan-only'
        ? { daily, naive, signup }
        : { daily, naive, plan };
  const merged: BenchResults = { ...kept, ...current };
  for (const key of Object.keys(merged) as (keyof BenchResults)[])
    if (merged[key] === undefined) delete merged[key];
  return merged;
}

export function readResults(): BenchResults {
  try {
    return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
  } catch {
    return {};
  }
}

export function writeResults(results: BenchResults): void {
  mkdirSync(dirname(RESULTS_FILE.pathname), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}
