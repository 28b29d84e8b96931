import { parseArgs } from 'node:util';
import { UsageError } from './commands/output.ts';

const USAGE = `usage: paperboy <command>

  start                      run api, worker and mailer together (what \`npm start\` does)
  migrate                    create the database if needed and apply migrations
  papers import FILE         load papers from a JSONL file (bundled sample or normalised export)
  papers ingest --source hf|arxiv [--date YYYY-MM-DD]
                             fetch papers now (hf: that UTC day, default yesterday; arxiv: newest)
  papers runs [--limit N]    the latest ingest runs and what they stored, newest first
  digest run-now [--no-wait] plan everyone's digest now, whatever their send hour (still one a day)
  dkim keygen [--selector S] [--domain D] [--out FILE|-]
                             make an RSA 2048 DKIM key (FILE mode 0600, default dkim-S.pem) and
                             print the DNS TXT record to publish

  subscribers list [--status pending|active|unsubscribed] [--search TEXT] [--limit N] [--after CURSOR]
  subscribers show EMAIL|ID  one reader: settings, suppression, latest deliveries
  subscribers add EMAIL [--topics a,b] [--timezone ZONE] [--hour H]
                             sign an address up (pending; the reader confirms from the mail)
  suppressions list [--reason R] [--email EMAIL] [--limit N] [--after CURSOR]
  suppressions add EMAIL [--detail TEXT]   never mail this address again (until lifted)
  suppressions lift EMAIL|HASH             mail it again
  queues                     jobs per queue and state, and whether a queue is paused
  queues resume [NAME]       resume a paused queue (all of them without NAME)
  deliveries [--date YYYY-MM-DD]
                             one local date's deliveries by status; uncertain and failed listed

  --json                     the night-shift commands print JSON instead of a table

Configuration comes from environment variables; see the README.`;

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        'no-wait': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean', default: false },
        source: { type: 'string' },
        date: { type: 'string' },
        limit: { type: 'string' },
        after: { type: 'string' },
        status: { type: 'string' },
        search: { type: 'string' },
        reason: { type: 'string' },
        email: { type: 'string' },
        detail: { type: 'string' },
        topics: { type: 'string' },
        timezone: { type: 'string' },
        hour: { type: 'string' },
        selector: { type: 'string' },
        domain: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    // Node's own wording ("Unknown option '--x'") is clear; the usage says what is known.
    process.stderr.write(`paperboy: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

const { positionals, values } = parse();
const command = positionals.join(' ');
const [group, action, argument, extra] = positionals;

async function run(): Promise<number> {
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  // Each command loads only what it needs: BullMQ and friends take seconds to import on a busy machine.
  if (command === 'start') return (await import('./commands/start.ts')).startAll();
  if (command === 'migrate') return (await import('./commands/migrate.ts')).runMigrate();
  if (positionals[0] === 'papers' && positionals[1] === 'import' && positionals[2]) {
    return (await import('./commands/papers-import.ts')).papersImport(positionals[2]);
  }
  if (command === 'papers ingest') {
    return (await import('./commands/papers-ingest.ts')).papersIngest({
      source: values.source,
      date: values.date,
    });
  }
  if (command === 'papers runs')
    return (await import('./commands/papers-runs.ts')).papersRuns({ limit: values.limit });
  if (command === 'digest run-now') {
    return (await import('./commands/digest-run-now.ts')).digestRunNow({ wait: !values['no-wait'] });
  }
  if (command === 'dkim keygen') {
    return (await import('./commands/dkim-keygen.ts')).dkimKeygen({
      selector: values.selector,
      domain: values.domain,
      out: values.out,
    });
  }
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (group === 'subscribers')
    return (await import('./commands/subscribers.ts')).subscribersCommand(action, argument, values);
  if (group === 'suppressions')
    return (await import('./commands/suppressions.ts')).suppressionsCommand(action, argument, values);
  if (group === 'queues' && argument === undefined)
    return (await import('./commands/queues.ts')).queuesCommand(action, undefined, values);
  if (group === 'queues' && action === 'resume')
    return (await import('./commands/queues.ts')).queuesCommand(action, argument, values);
  if (group === 'deliveries' && action === undefined)
    return (await import('./commands/deliveries.ts')).deliveriesCommand(values);
  process.stderr.write(`paperboy: unknown command "${command}"\n\n${USAGE}\n`);
  return 2;
}

try {
  process.exitCode = await run();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`paperboy: ${error.message}\n`);
  process.exitCode = 2;
}
