import net from 'node:net';
import tls from 'node:tls';

const END_OF_DATA = Buffer.from('.\r\n');
const NEWLINE_END_OF_DATA = Buffer.from('\r\n.\r\n');

/*
 * One long-lived SMTP session that sends messages already written (the daily digests) with
 * PIPELINING (RFC 2920): MAIL FROM, RCPT TO and DATA leave in one write, the dot-stuffed message
 * and its end in a second, and their replies are read as they come. nodemailer builds, streams and
 * escapes each message byte by byte through several streams; for a digest that is already bytes,
 * that was most of the mailer's CPU (see BENCHMARKS.md). Failures carry nodemailer's error fields
 * (responseCode, response, command, code), so classifySmtpFailure reads both the same way.
 */

export interface SessionSettings {
  host: string;
  port: number;
  /** smtps: TLS from the first byte; otherwise STARTTLS whenever the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** Each wait (connect, greeting, every reply) is bounded by this. */
  timeoutMs: number;
  /** Our name in EHLO. */
  clientName: string;
}

export interface Reply {
  code: number;
  text: string;
}

/** An SMTP failure shaped like nodemailer's, so one classifier serves both transports. */
export class SmtpError extends Error {
  override name = 'SmtpError';
  constructor(
    message: string,
    readonly code: string,
    readonly command: string,
    readonly responseCode?: number,
    readonly response?: string,
  ) {
    super(message);
  }
}

function replyError(command: string, reply: Reply, code = 'EENVELOPE'): SmtpError {
  const response = `${reply.code} ${reply.text}`;
  return new SmtpError(`${command} refused: ${response}`, code, command, reply.code, response);
}

const LINE_STARTING_WITH_DOT = Buffer.from('\r\n.');
const DOT = Buffer.from('.');

/**
 * Lines that start with a dot get one more (RFC 5321 4.5.2), found with a native search: a piece
 * without such lines (most) is passed on as it is. `atLineStart`: the previous piece ended a line.
 */
export function stuffDots(piece: Buffer, atLineStart: boolean): Buffer[] {
  let found = piece.indexOf(LINE_STARTING_WITH_DOT);
  const leading = atLineStart && piece[0] === 0x2e;
  if (found < 0 && !leading) return [piece];
  const parts: Buffer[] = leading ? [DOT] : [];
  let start = 0;
  while (found >= 0) {
    // Up to and including the dot, then the dot once more.
    parts.push(piece.subarray(start, found + 3), DOT);
    start = found + 3;
    found = piece.indexOf(LINE_STARTING_WITH_DOT, start);
  }
  parts.push(piece.subarray(start));
  return parts;
}

const endsLine = (piece: Buffer) =>
  piece.length >= 2 && piece[piece.length - 2] === 13 && piece[piece.length - 1] === 10;

export class SmtpSession {
  private socket: net.Socket | tls.TLSSocket;
  private buffered = '';
  private lines: string[] = [];
  private readonly waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | null = null;
  private extensions = new Set<string>();
  private authMechanisms = new Set<string>();
  /** Messages sent on this session, so the pool can retire it after many. */
  sent = 0;

  private constructor(
    private readonly settings: SessionSettings,
    socket: net.Socket,
  ) {
    this.socket = socket;
    this.listen(socket);
  }

  get usable(): boolean {
    return this.failure === null && !this.socket.destroyed;
  }

  /** Connects, greets, upgrades to TLS when offered, and logs in: ready to send. */
  static async open(settings: SessionSettings): Promise<SmtpSession> {
    const socket = settings.secure
      ? tls.connect({ host: settings.host, port: settings.port, servername: settings.host })
      : net.connect({ host: settings.host, port: settings.port });
    const session = new SmtpSession(settings, socket);
    try {
      await session.connected(settings.secure ? 'secureConnect' : 'connect');
      await session.expect('CONN', 220, 'ECONNECTION');
      await session.hello();
      if (!settings.secure && session.extensions.has('STARTTLS')) await session.startTls();
      if (settings.user) await session.login(settings.user, settings.pass ?? '');
      return session;
    } catch (error) {
      session.destroy();
      throw error;
    }
  }

  private connected(event: 'connect' | 'secureConnect'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SmtpError('Connection timeout', 'ETIMEDOUT', 'CONN')),
        this.settings.timeoutMs,
      );
      this.socket.once(event, () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new SmtpError(error.message, 'ECONNECTION', 'CONN'));
      });
    });
  }

  private listen(socket: net.Socket): void {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.setTimeout(this.settings.timeoutMs, () =>
      this.fail(new SmtpError('Timeout waiting for the server', 'ETIMEDOUT', 'CONN')),
    );
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.fail(new SmtpError(error.message, 'ECONNECTION', 'CONN')));
    socket.on('close', () =>
      this.fail(new SmtpError('Connection closed by the server', 'ECONNECTION', 'CONN')),
    );
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end = this.buffered.indexOf('\n');
    while (end >= 0) {
      const line = this.buffered.slice(0, end).replace(/\r$/, '');
      this.buffered = this.buffered.slice(end + 1);
      this.lines.push(line);
      // "250-…" continues a reply, "250 …" (or a bare code) ends it.
      if (line.length < 4 || line[3] !== '-') {
        const reply = {
          code: Number(line.slice(0, 3)),
          text: this.lines.map((part) => part.slice(4)).join('\n'),
        };
        this.lines = [];
        this.waiting.shift()?.resolve(reply);
      }
      end = this.buffered.indexOf('\n');
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    this.socket.destroy();
  }

  private nextReply(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private async expect(command: string, wanted: number, code = 'EENVELOPE'): Promise<Reply> {
    const reply = await this.nextReply();
    if (reply.code !== wanted) throw replyError(command, reply, code);
    return reply;
  }

  private write(text: string): void {
    this.socket.write(text, 'latin1');
  }

  private async hello(): Promise<void> {
    this.write(`EHLO ${this.settings.clientName}\r\n`);
    const reply = await this.expect('EHLO', 250, 'EPROTOCOL');
    const lines = reply.text.split('\n').slice(1);
    this.extensions = new Set(lines.map((line) => line.split(' ')[0]!.toUpperCase()));
    const auth = lines.find((line) => /^AUTH[ =]/i.test(line));
    this.authMechanisms = new Set((auth ?? '').slice(5).toUpperCase().split(/\s+/));
  }

  private async startTls(): Promise<void> {
    this.write('STARTTLS\r\n');
    await this.expect('STARTTLS', 220, 'ETLS');
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.setTimeout(0);
    const secured = tls.connect({ socket: plain, servername: this.settings.host });
    this.socket = secured;
    await this.connected('secureConnect').catch((error: Error) => {
      throw new SmtpError(error.message, 'ETLS', 'STARTTLS');
    });
    this.listen(secured);
    await this.hello();
  }

  private async login(user: string, pass: string): Promise<void> {
    if (this.authMechanisms.has('PLAIN') || !this.authMechanisms.has('LOGIN')) {
      this.write(`AUTH PLAIN ${Buffer.from(`\u0000${user}\u0000${pass}`).toString('base64')}\r\n`);
      await this.expect('AUTH PLAIN', 235, 'EAUTH');
      return;
    }
    this.write('AUTH LOGIN\r\n');
    await this.expect('AUTH LOGIN', 334, 'EAUTH');
    this.write(`${Buffer.from(user).toString('base64')}\r\n`);
    await this.expect('AUTH LOGIN', 334, 'EAUTH');
    this.write(`${Buffer.from(pass).toString('base64')}\r\n`);
    await this.expect('AUTH LOGIN', 235, 'EAUTH');
  }

  /**
   * Sends one message: envelope and DATA pipelined when the server allows it. A refusal leaves
   * the session usable (RSET); a 421 or a broken connection does not.
   */
  async send(envelope: { from: string; to: string }, message: readonly Buffer[]): Promise<Reply> {
    const body = this.extensions.has('8BITMIME') ? ' BODY=8BITMIME' : '';
    const commands = [`MAIL FROM:<${envelope.from}>${body}\r\n`, `RCPT TO:<${envelope.to}>\r\n`, 'DATA\r\n'];
    const replies: Promise<Reply>[] = [];
    if (this.extensions.has('PIPELINING')) {
      for (let index = 0; index < 3; index += 1) {
        const next = this.nextReply();
        // Left unread when a 421 ends the session early; the rejection is expected then.
        next.catch(() => undefined);
        replies.push(next);
      }
      this.write(commands.join(''));
    }
    const reply = async (index: number): Promise<Reply> => {
      if (replies[index]) return replies[index];
      this.write(commands[index]!);
      return this.nextReply();
    };
    // Each pipelined reply must be read even after a refusal, so none is left for the next message;
    // a 421 instead ends the session at once (the server is closing and may not answer the rest).
    let refusal: SmtpError | null = null;
    const mail = await reply(0);
    if (mail.code !== 250) refusal = this.closingOr(replyError('MAIL FROM', mail));
    if (refusal && !replies.length) return this.reset(refusal);
    const rcpt = await reply(1);
    if (!refusal && rcpt.code !== 250 && rcpt.code !== 251)
      refusal = this.closingOr(replyError('RCPT TO', rcpt));
    if (refusal && !replies.length) return this.reset(refusal);
    const data = await reply(2);
    if (data.code === 354 && refusal) {
      // A server that opened DATA for a refused envelope gets an empty message it will refuse.
      this.write('.\r\n');
      await this.nextReply();
    }
    if (refusal) return this.reset(refusal);
    if (data.code !== 354) return this.reset(this.closingOr(replyError('DATA', data)));

    const ended = this.nextReply();
    // A message comes as one buffer (fillDigestTemplate), so this is usually two writes in one
    // writev; copying them into one buffer instead would allocate ~40 KB more per message.
    this.socket.cork();
    let atLineStart = true;
    for (const piece of message) {
      for (const part of stuffDots(piece, atLineStart)) this.socket.write(part);
      if (piece.length > 0) atLineStart = endsLine(piece);
    }
    this.socket.write(atLineStart ? END_OF_DATA : NEWLINE_END_OF_DATA);
    this.socket.uncork();
    const accepted = await ended;
    this.sent += 1;
    if (accepted.code !== 250) return this.reset(replyError('DATA', accepted, 'EMESSAGE'));
    return accepted;
  }

  /** A 421 means the server is closing: the session ends now, pending replies or not. */
  private closingOr(refusal: SmtpError): SmtpError {
    if (refusal.responseCode === 421) {
      this.fail(refusal);
      throw refusal;
    }
    return refusal;
  }

  /** After a refusal: a 421 ends the session; anything else is reset so the next message can go. */
  private async reset(refusal: SmtpError): Promise<never> {
    if (refusal.responseCode === 421) {
      this.fail(refusal);
      throw refusal;
    }
    this.write('RSET\r\n');
    await this.nextReply().catch(() => undefined);
    throw refusal;
  }

  /** Says goodbye and closes; never waits longer than a moment. */
  close(): void {
    if (!this.usable) return;
    this.write('QUIT\r\n');
    this.socket.end();
    setTimeout(() => this.destroy(), 1_000).unref();
  }

  destroy(): void {
    this.failure ??= new SmtpError('Session closed', 'ECONNECTION', 'CONN');
    this.socket.destroy();
  }
}
