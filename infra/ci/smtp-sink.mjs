// The compose smoke test's mailbox: an SMTP server on 127.0.0.1 that accepts every message and
// writes it, parsed, as one JSON file per mail into a folder (to, subject, text, and the links).
// Usage: node infra/ci/smtp-sink.mjs PORT DIR   (PORT 0 = any; the chosen port is printed)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const [port = '0', dir = 'smtp-sink'] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
let received = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream).then(
      (mail) => {
        received += 1;
        const record = {
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          // Raw lines: mailparser folds List-* headers into one structured `list` entry.
          headers: Object.fromEntries(mail.headerLines.map((header) => [header.key, header.line])),
        };
        writeFileSync(
          join(dir, `${String(received).padStart(5, '0')}.json`),
          JSON.stringify(record, null, 2),
        );
        callback();
      },
      (error) => callback(error),
    );
  },
});
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`${server.server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
