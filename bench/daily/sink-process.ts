/**
 * The bench's SMTP sink, its own process so its CPU is measured apart from the services'. It
 * only counts: parsing what arrives would make the receiver's cost part of the figure.
 *
 * Talks over the IPC channel its parent opens: first message {"ready": port}; then it answers
 * every "stats" message with SinkCounts.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SinkCounts } from './sink.types.ts';

const counts: SinkCounts = { messages: 0, bytes: 0, firstAt: 0, lastAt: 0 };

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('end', () => {
      const now = Date.now();
      counts.messages += 1;
      counts.bytes += bytes;
      if (counts.firstAt === 0) counts.firstAt = now;
      counts.lastAt = now;
      callback();
    });
  },
});
// A client that goes away mid-session is not this process's problem.
smtp.on('error', () => {});

await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const send = (message: unknown) => process.send?.(message);
send({ ready: (smtp.server.address() as AddressInfo).port });
process.on('message', (message) => {
  if (message === 'stats') send({ ...counts });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => smtp.close(() => process.exit(0)));
