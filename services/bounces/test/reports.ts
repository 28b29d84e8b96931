/** Inbound reports as real MTAs and mailbox providers write them (raw MIME, CRLF). */

const crlf = (lines: string[]) => lines.join('\r\n');

/** An RFC 3464 delivery status notification, as Postfix sends it. */
export function dsn(options: {
  to: string;
  recipient?: string;
  action: string;
  status: string;
  diagnostic: string;
  originalHeaders?: string;
}): string {
  return crlf([
    'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    `To: ${options.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="dsn-boundary-1"',
    '',
    'This is a MIME-encapsulated message.',
    '',
    '--dsn-boundary-1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--dsn-boundary-1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'Arrival-Date: Tue,  1 Dec 2026 08:00:01 +0000 (UTC)',
    '',
    ...(options.recipient
      ? [`Final-Recipient: rfc822; ${options.recipient}`, `Original-Recipient: rfc822;${options.recipient}`]
      : []),
    `Action: ${options.action}`,
    `Status: ${options.status}`,
    'Remote-MTA: dns; inbox.example.org',
    `Diagnostic-Code: smtp; ${options.diagnostic.slice(0, 40)}`,
    `    ${options.diagnostic.slice(40)}`,
    '',
    '--dsn-boundary-1',
    'Content-Type: text/rfc822-headers',
    '',
    options.originalHeaders ?? 'Subject: 10 trending papers',
    '',
    '--dsn-boundary-1--',
    '',
  ]);
}

/** An RFC 5965 abuse report, as a mailbox provider's feedback loop sends it. */
export function arf(options: { to: string; originalRcptTo: string; originalMailFrom: string }): string {
  return crlf([
    'From: feedback@fbl.example.net',
    `To: ${options.to}`,
    'Subject: FW: 10 trending papers',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="arf-part"',
    '',
    '--arf-part',
    'Content-Type: text/plain; charset="US-ASCII"',
    'Content-Transfer-Encoding: 7bit',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    '--arf-part',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    `Original-Mail-From: <${options.originalMailFrom}>`,
    `Original-Rcpt-To: <${options.originalRcptTo}>`,
    'Arrival-Date: Tue, 1 Dec 2026 08:00:02 +0000',
    'Reported-Domain: paperboy.example',
    '',
    '--arf-part',
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    'From: paperboy <digest@paperboy.example>',
    `To: ${options.originalRcptTo}`,
    'Subject: Welcome to paperboy',
    '',
    'Welcome!',
    '',
    '--arf-part--',
    '',
  ]);
}
