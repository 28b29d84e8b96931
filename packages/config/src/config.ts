import {
  boolean,
  cronOrNone,
  instant,
  integer,
  list,
  listOf,
  mailbox,
  oneOf,
  origins,
  redisUrl,
  secret,
  text,
  url,
} from './env-parsers.ts';
import { dkimSelector, hostName, pem, resolveMailAuth, topicArns } from './mail-auth.ts';

// Used only outside production so `npm start` works on a fresh machine; production refuses it.
const DEV_TOKEN_SECRET = 'paperboy-development-secret-do-not-use-in-production';

/** Every setting paperboy reads. Nothing else reads process.env. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  databaseUrl: string;
  redisUrl: string;
  /** BullMQ key prefix; the {hash tag} keeps a queue's keys in one Redis Cluster slot. */
  queuePrefix: string;
  /** Unset: messages are written as .eml files into outboxDir instead of being sent. */
  smtpUrl: string | null;
  smtpPoolSize: number;
  outboxDir: string;
  mailFrom: string;
  postalAddress: string;
  publicBaseUrl: string;
  host: string;
  port: number;
  /** The api's ops server (/healthz, /readyz, /metrics with queue depths), apart from the public port. */
  apiMetricsPort: number;
  workerMetricsPort: number;
  mailerMetricsPort: number;
  tokenSecret: string;
  /** Unset: admin routes answer 401 to everyone. */
  adminToken: string | null;
  planEveryMinutes: number;
  papersPerDigest: number;
  digestLookbackDays: number;
  confirmationTtlHours: number;
  /** A pending address gets at most one confirmation mail per this many minutes. */
  confirmationResendMinutes: number;
  workerConcurrency: number;
  mailerConcurrency: number;
  sendAttempts: number;
  sendBackoffMs: number;
  /** Deliveries, editions and ingest runs older than this many days are deleted daily (the archive keeps a copy per day). */
  retentionDays: number;
  samplePapersFile: string;
  loadSampleWhenEmpty: boolean;
  hfApiUrl: string;
  arxivApiUrl: string;
  arxivCategories: string[];
  /** Whether the worker schedules ingest jobs. Unset: on in production only, so tests and offline dev never reach out. */
  ingestEnabled: boolean;
  /** Which sources the schedules fetch; the CLI can fetch any of them regardless. */
  ingestSources: ('hf' | 'arxiv')[];
  /** Cron patterns, always in UTC. null turns that schedule off. */
  ingestHfCron: string | null;
  ingestRefreshCron: string | null;
  ingestArxivCron: string | null;
  ingestArxivMaxResults: number;
  /** Per-request retries inside one ingest attempt; the BullMQ job retries on top. */
  ingestFetchRetries: number;
  ingestFetchTimeoutSeconds: number;
  /** Requests per minute one client IP may make to the public routes. */
  rateLimitPerMinute: number;
  /** Sign-ups per hour from one client IP (bounds mass sign-ups of other people's addresses). */
  signupsPerIpPerHour: number;
  /** Sign-ups per hour for one address (bounds confirmation mails aimed at one inbox). */
  signupsPerAddressPerHour: number;
  /** "Your data" link mails one reader may ask for per hour (export and erase need one). */
  dataLinksPerHour: number;
  /** Redis key prefix of the rate-limit counters, shared by every api replica; defaults to QUEUE_PREFIX + "rate:". */
  rateLimitPrefix: string;
  /** Origins allowed to call the API from a browser; empty = CORS off. */
  corsOrigins: string[];
  /** Which peers may set X-Forwarded-For: what the per-IP limits trust as the client address. */
  trustProxy: string[];

  // --- Delivery guarantees (issue 8): clock, claims, send rate, SMTP timeouts, self-healing ---
  /** The instant the process clock starts at (then runs at real speed); null = real time. Refused in production. */
  clockStart: Date | null;
  /** What to do with a delivery whose send lease expired (mailer died mid-send): send again (same Message-ID) or record it uncertain. */
  onUncertain: 'resend' | 'skip';
  /** Digest and other mails per second across every mailer replica; null = unlimited. */
  sendRatePerSecond: number | null;
  /** SMTP connection, greeting and per-command socket timeout; the send lease is derived from it. */
  smtpTimeoutSeconds: number;
  /** How often every worker checks that its job schedulers (plan, ingest) still exist in Redis. */
  schedulerCheckSeconds: number;
  // --- Mail authentication, bounces and complaints (see mail-auth.ts) ---
  /** DKIM signing domain (d=); null with selector and key = mail is not signed. */
  dkimDomain: string | null;
  dkimSelector: string | null;
  /** The PEM private key: DKIM_PRIVATE_KEY, or the contents of DKIM_PRIVATE_KEY_FILE read at start. */
  dkimPrivateKey: string | null;
  dkimPrivateKeyFile: string | null;
  /** Domain of the VERP envelope senders `bounces+<token>@…`; defaults to MAIL_FROM's domain. */
  bounceDomain: string;
  /** Where the bounces service takes DSNs and ARF reports by SMTP. */
  bounceSmtpPort: number;
  bouncesMetricsPort: number;
  /** HMAC-SHA256 key of POST /v1/webhooks/bounces; null = that route answers 401. */
  bounceWebhookSecret: string | null;
  /** Basic-auth credentials Postmark's webhook URL carries; null = the Postmark route answers 401. */
  postmarkWebhookUser: string | null;
  postmarkWebhookPassword: string | null;
  /** SNS topics whose SES notifications are accepted; empty = the SES route answers 401. */
  sesSnsTopicArns: string[];
}

type Spec = { [K in keyof Config]: { env: string; parse: (raw: string) => Config[K]; default?: string } };

const spec: Spec = {
  nodeEnv: { env: 'NODE_ENV', parse: oneOf('development', 'production', 'test'), default: 'development' },
  logLevel: {
    env: 'LOG_LEVEL',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    default: 'info',
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    parse: url('postgres:', 'postgresql:'),
    default: 'postgres://127.0.0.1:5432/paperboy',
  },
  redisUrl: { env: 'REDIS_URL', parse: redisUrl, default: 'redis://127.0.0.1:6379' },
  queuePrefix: { env: 'QUEUE_PREFIX', parse: text, default: '{paperboy}' },
  smtpUrl: { env: 'SMTP_URL', parse: url('smtp:', 'smtps:') },
  smtpPoolSize: { env: 'SMTP_POOL_SIZE', parse: integer(1, 50), default: '5' },
  outboxDir: { env: 'OUTBOX_DIR', parse: text, default: 'outbox' },
  mailFrom: { env: 'MAIL_FROM', parse: mailbox, default: 'paperboy <digest@paperboy.localhost>' },
  postalAddress: {
    env: 'POSTAL_ADDRESS',
    parse: text,
    default: 'paperboy, a self-hosted digest. Set POSTAL_ADDRESS to your postal address.',
  },
  publicBaseUrl: { env: 'PUBLIC_BASE_URL', parse: url('http:', 'https:'), default: 'http://localhost:3000' },
  host: { env: 'HOST', parse: text, default: '127.0.0.1' },
  port: { env: 'PORT', parse: integer(0, 65535), default: '3000' },
  apiMetricsPort: { env: 'API_METRICS_PORT', parse: integer(0, 65535), default: '9100' },
  workerMetricsPort: { env: 'WORKER_METRICS_PORT', parse: integer(0, 65535), default: '9101' },
  mailerMetricsPort: { env: 'MAILER_METRICS_PORT', parse: integer(0, 65535), default: '9102' },
  tokenSecret: { env: 'TOKEN_SECRET', parse: secret(32) },
  adminToken: { env: 'ADMIN_TOKEN', parse: secret(16) },
  planEveryMinutes: { env: 'PLAN_EVERY_MINUTES', parse: integer(1, 60), default: '5' },
  papersPerDigest: { env: 'PAPERS_PER_DIGEST', parse: integer(3, 25), default: '10' },
  digestLookbackDays: { env: 'DIGEST_LOOKBACK_DAYS', parse: integer(1, 60), default: '7' },
  confirmationTtlHours: { env: 'CONFIRMATION_TTL_HOURS', parse: integer(1, 24 * 30), default: '72' },
  confirmationResendMinutes: {
    env: 'CONFIRMATION_RESEND_MINUTES',
    parse: integer(1, 24 * 60),
    default: '10',
  },
  workerConcurrency: { env: 'WORKER_CONCURRENCY', parse: integer(1, 100), default: '4' },
  mailerConcurrency: { env: 'MAILER_CONCURRENCY', parse: integer(1, 200), default: '10' },
  sendAttempts: { env: 'SEND_ATTEMPTS', parse: integer(1, 20), default: '5' },
  sendBackoffMs: { env: 'SEND_BACKOFF_MS', parse: integer(100, 3_600_000), default: '5000' },
  retentionDays: { env: 'RETENTION_DAYS', parse: integer(1, 36_500), default: '90' },
  samplePapersFile: { env: 'SAMPLE_PAPERS_FILE', parse: text, default: 'data/trending-papers-sample.jsonl' },
  loadSampleWhenEmpty: { env: 'LOAD_SAMPLE_WHEN_EMPTY', parse: boolean, default: 'true' },
  hfApiUrl: { env: 'HF_API_URL', parse: url('http:', 'https:'), default: 'https://huggingface.co' },
  arxivApiUrl: { env: 'ARXIV_API_URL', parse: url('http:', 'https:'), default: 'http://export.arxiv.org' },
  arxivCategories: { env: 'ARXIV_CATEGORIES', parse: list, default: 'cs.LG,cs.CL,cs.CV,cs.AI' },
  // No default: resolved from NODE_ENV in loadConfig.
  ingestEnabled: { env: 'INGEST_ENABLED', parse: boolean },
  ingestSources: { env: 'INGEST_SOURCES', parse: listOf('hf', 'arxiv'), default: 'hf' },
  // Hugging Face's list for a UTC day is complete shortly after midnight UTC; upvotes keep coming
  // for a day or two, hence the refresh just before the European morning digests.
  ingestHfCron: { env: 'INGEST_HF_CRON', parse: cronOrNone, default: '15 0 * * *' },
  ingestRefreshCron: { env: 'INGEST_REFRESH_CRON', parse: cronOrNone, default: '30 5 * * *' },
  // arXiv announces around 00:00 UTC (Sunday to Thursday nights).
  ingestArxivCron: { env: 'INGEST_ARXIV_CRON', parse: cronOrNone, default: '45 1 * * *' },
  ingestArxivMaxResults: { env: 'INGEST_ARXIV_MAX_RESULTS', parse: integer(1, 2000), default: '200' },
  ingestFetchRetries: { env: 'INGEST_FETCH_RETRIES', parse: integer(0, 10), default: '3' },
  ingestFetchTimeoutSeconds: { env: 'INGEST_FETCH_TIMEOUT_SECONDS', parse: integer(1, 600), default: '30' },
  rateLimitPerMinute: { env: 'RATE_LIMIT_PER_MINUTE', parse: integer(1, 1_000_000), default: '120' },
  signupsPerIpPerHour: { env: 'SIGNUPS_PER_IP_PER_HOUR', parse: integer(1, 1_000_000), default: '20' },
  signupsPerAddressPerHour: {
    env: 'SIGNUPS_PER_ADDRESS_PER_HOUR',
    parse: integer(1, 1_000_000),
    default: '5',
  },
  dataLinksPerHour: { env: 'DATA_LINKS_PER_HOUR', parse: integer(1, 1_000_000), default: '5' },
  rateLimitPrefix: { env: 'RATE_LIMIT_PREFIX', parse: text },
  corsOrigins: { env: 'CORS_ORIGINS', parse: origins, default: '' },
  // Private ranges only: a reverse proxy there may name the client; nobody on the internet can.
  trustProxy: {
    env: 'TRUST_PROXY',
    parse: (raw) => (raw.trim().toLowerCase() === 'none' ? [] : list(raw)),
    default: 'loopback,linklocal,uniquelocal',
  },

  // --- Delivery guarantees (issue 8) ---
  clockStart: { env: 'CLOCK_START', parse: instant },
  onUncertain: { env: 'ON_UNCERTAIN', parse: oneOf('resend', 'skip'), default: 'resend' },
  sendRatePerSecond: { env: 'SEND_RATE_PER_SECOND', parse: integer(1, 100_000) },
  smtpTimeoutSeconds: { env: 'SMTP_TIMEOUT_SECONDS', parse: integer(1, 600), default: '30' },
  schedulerCheckSeconds: { env: 'SCHEDULER_CHECK_SECONDS', parse: integer(1, 3600), default: '30' },
  dkimDomain: { env: 'DKIM_DOMAIN', parse: hostName },
  dkimSelector: { env: 'DKIM_SELECTOR', parse: dkimSelector },
  dkimPrivateKey: { env: 'DKIM_PRIVATE_KEY', parse: pem },
  dkimPrivateKeyFile: { env: 'DKIM_PRIVATE_KEY_FILE', parse: text },
  // No default: resolved from MAIL_FROM in loadConfig.
  bounceDomain: { env: 'BOUNCE_DOMAIN', parse: hostName },
  bounceSmtpPort: { env: 'BOUNCE_SMTP_PORT', parse: integer(0, 65535), default: '2525' },
  bouncesMetricsPort: { env: 'BOUNCES_METRICS_PORT', parse: integer(0, 65535), default: '9103' },
  bounceWebhookSecret: { env: 'BOUNCE_WEBHOOK_SECRET', parse: secret(32) },
  postmarkWebhookUser: { env: 'POSTMARK_WEBHOOK_USER', parse: text },
  postmarkWebhookPassword: { env: 'POSTMARK_WEBHOOK_PASSWORD', parse: secret(16) },
  sesSnsTopicArns: { env: 'SES_SNS_TOPIC_ARNS', parse: topicArns, default: '' },
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `paperboy cannot start, the configuration has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Reads every setting at once and reports every bad one in a single error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec) as [keyof Config, Spec[keyof Config]][]) {
    const raw = env[field.env]?.trim() || field.default;
    if (raw === undefined) {
      values[key] = null;
      continue;
    }
    try {
      values[key] = field.parse(raw);
    } catch (error) {
      problems.push(`${field.env} ${(error as Error).message}`);
    }
  }
  const config = values as unknown as Config;
  if (config.tokenSecret === null) {
    if (config.nodeEnv === 'production')
      problems.push('TOKEN_SECRET is required in production (32+ random characters)');
    else config.tokenSecret = DEV_TOKEN_SECRET;
  }
  // Scheduled ingest reaches the internet; only production (e.g. docker compose) does that unasked.
  if (config.ingestEnabled === null) config.ingestEnabled = config.nodeEnv === 'production';
  // Follows the queue prefix, so whatever isolates one deployment's (or one test's) jobs isolates its limits too.
  config.rateLimitPrefix ??= `${config.queuePrefix}rate:`;
  resolveMailAuth(config as Config & { bounceDomain: string | null }, problems);
  if ((config.postmarkWebhookUser === null) !== (config.postmarkWebhookPassword === null))
    problems.push('POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD go together; set both or neither');
  if (config.nodeEnv === 'production' && config.tokenSecret === DEV_TOKEN_SECRET) {
    problems.push('TOKEN_SECRET must not be the development default in production');
  }
  // A shifted clock exists for tests and drills (plans and expiry without waiting for real hours);
  // in production it would send digests at the wrong hour.
  if (config.nodeEnv === 'production' && config.clockStart !== null) {
    problems.push('CLOCK_START must not be set in production (it shifts every send time)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** The names of every environment variable, for docs and tests. */
export const configVariables = Object.values(spec).map((field) => field.env);
