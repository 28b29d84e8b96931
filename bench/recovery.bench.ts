import { requeueLostDeliveries } from '@paperboy/worker';
import { startStack } from '../test/support/stack.ts';
import { line } from './report.ts';

const DELIVERIES = Number(process.env.BENCH_RECOVERY_DELIVERIES ?? 100_000);

/**
 * What healing the ledger costs after Redis lost everything: every composed delivery needs its
 * send job back. The first pass finds every job missing and adds it; the second finds every job
 * present (the steady state of every plan). No mailer runs, so the jobs stay queued.
 */
export async function benchRecovery(): Promise<void> {
  console.log(
    `\nledger recovery after a wiped Redis: ${DELIVERIES.toLocaleString('en')} composed deliveries`,
  );
  const stack = await startStack('bench_recovery', { mailer: false });
  const pool = stack.api.deps.pool;
  try {
    await pool.query(
      `WITH readers AS (
         INSERT INTO subscribers (email, email_hash, status)
         SELECT 'recovery' || n || '@example.org', md5('recovery' || n), 'active' FROM generate_series(1, $1) AS n
         RETURNING id
       )
       INSERT INTO deliveries (subscriber_id, local_date, status) SELECT id, current_date, 'composed' FROM readers`,
      [DELIVERIES],
    );
    const deps = stack.workers[0]!.deps;
    let start = performance.now();
    const requeued = await requeueLostDeliveries(deps);
    const firstMs = performance.now() - start;
    start = performance.now();
    const again = await requeueLostDeliveries(deps);
    const secondMs = performance.now() - start;
    line(
      'first pass: every job missing, all re-added',
      `${firstMs.toFixed(0)} ms for ${requeued} (${(requeued / (firstMs / 1000)).toFixed(0)} deliveries/s)`,
    );
    line(
      'second pass: every job present, looked up by id',
      `${secondMs.toFixed(0)} ms, ${again} re-added (${(DELIVERIES / (secondMs / 1000)).toFixed(0)} deliveries/s)`,
    );
  } finally {
    await stack.close();
  }
}
