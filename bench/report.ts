/** Times fn over `runs` calls after `warmup` calls; returns ms per call (median of 5 batches). */
export async function msPerCall(fn: () => unknown, runs: number, warmup = 3): Promise<number> {
  for (let index = 0; index < warmup; index += 1) await fn();
  const batches: number[] = [];
  const perBatch = Math.max(1, Math.floor(runs / 5));
  for (let batch = 0; batch < 5; batch += 1) {
    const start = performance.now();
    for (let index = 0; index < perBatch; index += 1) await fn();
    batches.push((performance.now() - start) / perBatch);
  }
  return batches.sort((a, b) => a - b)[2]!;
}

export function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(58)} ${value}`);
}
