import { describe, expect, it } from 'vitest';
import { classifySmtpFailure } from '../src/smtp-failure.ts';

// The fields nodemailer puts on its errors: responseCode, response, command, code.
const smtpError = (fields: { responseCode?: number; response?: string; command?: string; code?: string }) =>
  Object.assign(new Error(fields.response ?? fields.code ?? 'failure'), fields);

describe('SMTP failures are classified by what they say about whom', () => {
  it.each([
    [
      '550 5.1.1 at RCPT TO: no such user',
      {
        responseCode: 550,
        response: '550 5.1.1 <x@example.org>: user unknown',
        command: 'RCPT TO',
        code: 'EENVELOPE',
      },
      'recipient',
    ],
    [
      '552 5.2.2 at RCPT TO: mailbox full',
      { responseCode: 552, response: '552 5.2.2 mailbox full', command: 'RCPT TO', code: 'EENVELOPE' },
      'recipient',
    ],
    [
      '553 5.5.x at RCPT TO: bad mailbox name',
      { responseCode: 553, response: '553 5.5.4 bad address', command: 'RCPT TO', code: 'EENVELOPE' },
      'recipient',
    ],
    [
      '451 at RCPT TO: greylisting',
      { responseCode: 451, response: '451 4.7.1 greylisted', command: 'RCPT TO', code: 'EENVELOPE' },
      'deferred',
    ],
    [
      '550 5.7.1 at RCPT TO: relaying denied',
      { responseCode: 550, response: '550 5.7.1 relaying denied', command: 'RCPT TO', code: 'EENVELOPE' },
      'sender',
    ],
    [
      '535 at AUTH PLAIN',
      { responseCode: 535, response: '535 5.7.8 bad credentials', command: 'AUTH PLAIN', code: 'EAUTH' },
      'auth',
    ],
    [
      '553 at MAIL FROM',
      { responseCode: 553, response: '553 sender not allowed', command: 'MAIL FROM', code: 'EENVELOPE' },
      'sender',
    ],
    [
      '552 at DATA',
      { responseCode: 552, response: '552 5.3.4 message too big', command: 'DATA', code: 'EMESSAGE' },
      'size',
    ],
    [
      '554 at DATA: content refused',
      { responseCode: 554, response: '554 5.6.0 refused', command: 'DATA', code: 'EMESSAGE' },
      'content',
    ],
    [
      '421 anywhere',
      { responseCode: 421, response: '421 4.7.0 slow down', command: 'RCPT TO', code: 'EENVELOPE' },
      'throttled',
    ],
    [
      '451 at DATA',
      { responseCode: 451, response: '451 local error', command: 'DATA', code: 'EMESSAGE' },
      'temporary',
    ],
    ['connection refused', { code: 'ESOCKET', command: 'CONN' }, 'connection'],
    ['timeout', { code: 'ETIMEDOUT', command: 'CONN' }, 'timeout'],
    ['DNS', { code: 'EDNS', command: 'CONN' }, 'dns'],
    ['TLS', { code: 'ETLS', command: 'CONN' }, 'tls'],
  ] as const)('%s → %s', (_what, fields, expected) => {
    const failure = classifySmtpFailure(smtpError(fields));
    expect(failure.failureClass).toBe(expected);
    expect(failure.permanentForRecipient).toBe(expected === 'recipient');
    expect(failure.aboutServer).toBe(expected !== 'recipient' && expected !== 'deferred');
  });

  it('asks every mailer to back off on 421 only', () => {
    expect(classifySmtpFailure(smtpError({ responseCode: 421, response: '421 try later' })).throttle).toBe(
      true,
    );
    expect(classifySmtpFailure(smtpError({ responseCode: 451, response: '451 try later' })).throttle).toBe(
      false,
    );
  });
});
