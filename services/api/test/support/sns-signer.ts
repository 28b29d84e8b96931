import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and key of our own, made the way any operator would (openssl), to sign SNS messages. */
export function makeSigningCertificate(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-sns-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=sns.amazonaws.com',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Signs an SNS message as Amazon documents it (SignatureVersion 2: SHA256withRSA over the canonical fields). */
export function signSns(message: Record<string, string>, keyPem: string): Record<string, string> {
  const names =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const canonical = names
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join('');
  const signer = createSign('RSA-SHA256');
  signer.update(canonical);
  return { ...message, SignatureVersion: '2', Signature: signer.sign(keyPem, 'base64') };
}

/**
 * Stands in for sns.<region>.amazonaws.com: serves the certificate for any *.pem path and
 * records every other request (subscription confirmations). The api reaches it through its
 * injected fetcher, which maps the Amazon URL onto this local server.
 */
export async function startFakeSns(certPem: string) {
  const visited: string[] = [];
  const fetched: string[] = [];
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url.endsWith('.pem')) {
      fetched.push(url);
      response.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(certPem);
      return;
    }
    visited.push(url);
    response.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    visited,
    fetched,
    fetch: async (url: URL) => {
      const response = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`);
      return response.text();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
