import { closeQueues, createQueues, createRedisConnection, type QueueName, Queues } from '@paperboy/queue';
import { checkServices, configOrExit } from './context.ts';
import { printJson, printTable, UsageError } from './output.ts';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
const NAMES = Object.values(Queues) as QueueName[];

export interface QueueReport {
  queue: QueueName;
  paused: boolean;
  counts: Record<(typeof STATES)[number], number>;
}

/** `paperboy queues`: what waits where, and whether a queue is paused (and so sends nothing). */
export async function queuesCommand(
  action: string | undefined,
  name: string | undefined,
  options: { json: boolean },
): Promise<number> {
  if (action !== undefined && action !== 'resume')
    throw new UsageError('usage: paperboy queues [resume [digest|email|ingest]]');
  if (name !== undefined && !NAMES.includes(name as QueueName))
    throw new UsageError(`unknown queue "${name}"; the queues are ${NAMES.join(', ')}`);
  const config = configOrExit();
  await checkServices(config, true);
  const connection = createRedisConnection(config.redisUrl);
  const queues = createQueues(connection, config);
  try {
    if (action === 'resume') {
      const targets = name ? [name as QueueName] : NAMES;
      const resumed: QueueName[] = [];
      for (const target of targets) {
        if (!(await queues[target].isPaused())) continue;
        await queues[target].resume();
        resumed.push(target);
      }
      if (options.json) printJson({ resumed });
      else
        process.stdout.write(
          resumed.length > 0 ? `resumed ${resumed.join(', ')}\n` : `${targets.join(', ')}: not paused\n`,
        );
      return 0;
    }
    const reports: QueueReport[] = [];
    for (const queue of NAMES) {
      const counts = await queues[queue].getJobCounts(...STATES);
      reports.push({
        queue,
        paused: await queues[queue].isPaused(),
        counts: Object.fromEntries(
          STATES.map((state) => [state, counts[state] ?? 0]),
        ) as QueueReport['counts'],
      });
    }
    if (options.json) {
      printJson(reports);
      return 0;
    }
    printTable(
      ['queue', 'state', ...STATES],
      reports.map((report) => [
        report.queue,
        report.paused ? 'PAUSED' : 'running',
        ...STATES.map((state) => String(report.counts[state])),
      ]),
    );
    const paused = reports.filter((report) => report.paused).map((report) => report.queue);
    if (paused.length > 0)
      process.stdout.write(
        `\n${paused.join(', ')} paused: \`paperboy queues resume ${paused[0]}\` resumes\n`,
      );
    return 0;
  } finally {
    await closeQueues(queues);
    await connection.quit();
  }
}
