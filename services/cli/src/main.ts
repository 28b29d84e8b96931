import { parseArgs } from 'node:util';

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

Configuration comes from environment variables; see the README.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'no-wait': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
    source: { type: 'string' },
    date: { type: 'string' },
    limit: { type: 'string' },
    selector: { type: 'string' },
    domain: { type: 'string' },
    out: { type: 'string' },
  },
});
const command = positionals.join(' ');

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
  process.stderr.write(`paperboy: unknown command "${command}"\n\n${USAGE}\n`);
  return 2;
}

process.exitCode = await run();
