// A `paperboy` that stays up for a test file (see cli.ts). Each command the test sends over IPC runs
// through the CLI's real entry, main.js, with its own argv; its stdout, stderr and exit code go back.
// The modules (pg, ioredis, BullMQ, the packages) load once for the file instead of once a command,
// which was most of each command's second of CPU. Plain JavaScript: Node 20 runs it without tsx.
const main = import.meta.resolve('#main');
if (main.endsWith('.ts')) (await import('tsx/esm/api')).register();

/** What `process.exit(code)` becomes here: the command stops where a real process would end. */
class Exit extends Error {
  constructor(code) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

const realExit = process.exit.bind(process);
const realWrite = { stdout: process.stdout.write, stderr: process.stderr.write };
let runs = 0;

async function runOne(args) {
  const captured = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr']) {
    process[name].write = (chunk, encoding, callback) => {
      captured[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) queueMicrotask(done);
      return true;
    };
  }
  process.exit = (code) => {
    throw new Exit(code ?? process.exitCode ?? 0);
  };
  process.argv = [process.argv[0], main, ...args];
  process.exitCode = undefined;
  let code;
  try {
    // A fresh main.js each time (its argv is read at the top level); what it imports stays loaded.
    runs += 1;
    await import(`${main}?run=${runs}`);
    code = process.exitCode ?? 0;
  } catch (error) {
    if (error instanceof Exit) code = error.code;
    else {
      // What Node prints for an uncaught error, so a test that forbids stack traces still sees one.
      captured.stderr += `${error?.stack ?? error}\n`;
      code = 1;
    }
  } finally {
    process.stdout.write = realWrite.stdout;
    process.stderr.write = realWrite.stderr;
    process.exit = realExit;
    process.exitCode = undefined;
  }
  return { code, ...captured };
}

// One command at a time: stdout, stderr and the exit code are this process's own.
let queue = Promise.resolve();
process.on('message', ({ id, args }) => {
  queue = queue.then(async () => process.send({ id, ...(await runOne(args)) }));
});
process.on('disconnect', () => realExit(0));
