import { countDeliveriesPlannedSince, type DeliveryCounts } from '@paperboy/db';
import { closeQueues, createQueues, createRedisConnection, enqueue, Queues } from '@paperboy/queue';
import { QueueEvents } from 'bullmq';
import { checkServices, configOrExit, fail, openStore } from './context.ts';

const WAIT_MS = 60_000;

function inProgress(counts: DeliveryCounts): number {
  return counts.planned + counts.composed + counts.sending;
}

function describe(counts: DeliveryCounts): string {
  return `sent ${counts.sent}, skipped ${counts.skipped}, failed ${counts.failed}, expired ${counts.expired}, uncertain ${counts.uncertain}, still in progress ${inProgress(counts)}`;
}

/**
 * Plans every active reader's digest now by handing the worker a plan job that ignores send
 * hours (still at most one digest per reader and local date), then reports what happened.
 */
export async function digestRunNow(options: { wait: boolean }): Promise<number> {
  const config = configOrExit();
  await checkServices(config, true);
  const pool = await openStore(config);
  const connection = createRedisConnection(config.redisUrl);
  const queues = createQueues(connection, config);
  // QueueEvents blocks on its own connection; BullMQ leaves a connection it was given open, so we close it.
  const eventsConnection = createRedisConnection(config.redisUrl);
  const events = new QueueEvents(Queues.digest, { connection: eventsConnection, prefix: config.queuePrefix });
  try {
    const since = (await pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;
    const jobId = `run-now-${Date.now()}`;
    await events.waitUntilReady();
    await enqueue(queues, { name: 'plan', data: { ignoreSendHour: true }, jobId });
    if (!options.wait) {
      process.stdout.write('queued a plan for everyone; the worker takes it from here\n');
      return 0;
    }
    const job = await queues.digest.getJob(jobId);
    const planned = (await job!
      .waitUntilFinished(events, WAIT_MS)
      .catch((error: Error) =>
        fail(
          /timed out/i.test(error.message)
            ? `no worker took the plan within ${WAIT_MS / 1000}s: is paperboy running (\`npm start\`, or the worker service)?`
            : `planning failed: ${error.message}`,
        ),
      )) as { planned: number };
    process.stdout.write(
      `planned ${planned.planned} digest(s); waiting for them to be composed and sent …\n`,
    );
    const deadline = Date.now() + WAIT_MS;
    let counts = await countDeliveriesPlannedSince(pool, since);
    while (inProgress(counts) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      counts = await countDeliveriesPlannedSince(pool, since);
    }
    process.stdout.write(`${describe(counts)}\n`);
    if (!config.smtpUrl && counts.sent > 0)
      process.stdout.write(`the messages are .eml files in ${config.outboxDir}/\n`);
    return counts.failed > 0 || inProgress(counts) > 0 ? 1 : 0;
  } finally {
    await events.close();
    eventsConnection.disconnect();
    await closeQueues(queues);
    await connection.quit();
    await pool.end();
  }
}
