import { createVerify, X509Certificate } from 'node:crypto';

/** Fetches a text resource (SNS signing certificate, subscription URL); tests inject a local one. */
export type SnsFetch = (url: URL) => Promise<string>;

export interface SnsEnvelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

const MAX_AGE_MS = 60 * 60 * 1000;

// Amazon's own documented rule: certificates and subscription URLs live on sns.<region>.amazonaws.com.
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** An https URL on an SNS host, or null: anything else could point the api at an attacker's server. */
export function snsUrl(raw: string | undefined, pathSuffix = ''): URL | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || !SNS_HOST.test(url.hostname) || url.port !== '') return null;
    if (pathSuffix && !url.pathname.endsWith(pathSuffix)) return null;
    return url;
  } catch {
    return null;
  }
}

/** The canonical string SNS signs: the named fields, each as `Name\nvalue\n`, in this order. */
function stringToSign(message: SnsEnvelope): string {
  const fields =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields
    .filter((name) => typeof message[name as keyof SnsEnvelope] === 'string')
    .map((name) => `${name}\n${message[name as keyof SnsEnvelope]}\n`)
    .join('');
}

/** Caches signing certificates by URL; SNS rotates them rarely and fetching costs a round trip. */
export function createSnsVerifier(fetchText: SnsFetch, capacity = 20) {
  const certificates = new Map<string, X509Certificate>();
  async function certificate(url: URL): Promise<X509Certificate> {
    const cached = certificates.get(url.href);
    if (cached) return cached;
    const cert = new X509Certificate(await fetchText(url));
    if (certificates.size >= capacity) certificates.delete(certificates.keys().next().value!);
    certificates.set(url.href, cert);
    return cert;
  }
  /** True only for a message whose signature checks out against a certificate SNS serves. */
  return async function verify(message: SnsEnvelope, now = new Date()): Promise<boolean> {
    const algorithm = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' }[message.SignatureVersion];
    const certUrl = snsUrl(message.SigningCertURL, '.pem');
    if (!algorithm || !certUrl) return false;
    // SNS gives up on a message within an hour; an older one is a replay (a soft bounce counted again).
    const sentAt = Date.parse(message.Timestamp);
    if (Number.isNaN(sentAt) || Math.abs(now.getTime() - sentAt) > MAX_AGE_MS) return false;
    try {
      const cert = await certificate(certUrl);
      const verifier = createVerify(algorithm);
      verifier.update(stringToSign(message), 'utf8');
      return verifier.verify(cert.publicKey, message.Signature, 'base64');
    } catch {
      return false;
    }
  };
}

/** The default fetcher: a bounded https GET (callers have already checked the URL is Amazon's). */
export const fetchOverHttps: SnsFetch = async (url) => {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url.host} answered ${response.status}`);
  const text = await response.text();
  if (text.length > 64 * 1024) throw new Error('certificate too large');
  return text;
};
