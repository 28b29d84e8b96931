/** Small parsers for environment values. Each returns the value or throws a message saying what is wrong. */
export type Parser<T> = (raw: string) => T;

export const text: Parser<string> = (raw) => raw;

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

/**
 * REDIS_URL: redis:// or rediss:// for one server, or redis+cluster://[user:pass@]host:port,host:port
 * (rediss+cluster:// with TLS) for a Redis Cluster: a few seed nodes, the rest is discovered.
 */
export function redisUrl(raw: string): string {
  const cluster = /^rediss?\+cluster:\/\/(?:[^@/]*@)?([^/?#@]+)\/?$/.exec(raw);
  if (!cluster) return url('redis:', 'rediss:')(raw);
  for (const node of cluster[1]!.split(',')) {
    if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5}$/.test(node.trim()))
      throw new Error(`must list cluster nodes as host:port,host:port, got "${node}"`);
  }
  return raw;
}

export function url(...protocols: string[]): Parser<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new Error(`must be a URL, got "${raw}"`);
    }
    if (!protocols.includes(parsed.protocol)) {
      throw new Error(`must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
    }
    return raw.replace(/\/+$/, '');
  };
}

export function oneOf<const T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    if (!(values as string[]).includes(raw))
      throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}

export function secret(minLength: number): Parser<string> {
  return (raw) => {
    if (raw.length < minLength) throw new Error(`must be at least ${minLength} characters long`);
    return raw;
  };
}

export const list: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

export const boolean: Parser<boolean> = (raw) => {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`must be true or false, got "${raw}"`);
};

/** A mailbox like `paperboy <digest@example.org>` or a bare address. */
export const mailbox: Parser<string> = (raw) => {
  const address = /<([^>]+)>\s*$/.exec(raw)?.[1] ?? raw.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address))
    throw new Error(`must be an address like "paperboy <digest@example.org>"`);
  return raw.trim();
};

/** A comma-separated list of known words; `none` (or nothing) is the empty list. */
export function listOf<const T extends string>(...values: T[]): Parser<T[]> {
  return (raw) => {
    const items = raw.trim().toLowerCase() === 'none' ? [] : list(raw);
    const unknown = items.filter((item) => !(values as string[]).includes(item));
    if (unknown.length > 0)
      throw new Error(`may only list ${values.join(', ')} (or none), got "${unknown.join(', ')}"`);
    return [...new Set(items)] as T[];
  };
}

// Minute, hour, day of month, month, day of week (an optional leading seconds field is allowed too).
const CRON_FIELD =
  /^(?:\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/\d+)?(?:,(?:\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/\d+)?)*$/;

/** A cron pattern such as `15 0 * * *`, or `none`/`off` for null (that schedule is off). */
export const cronOrNone: Parser<string | null> = (raw) => {
  const trimmed = raw.trim();
  if (/^(none|off)$/i.test(trimmed)) return null;
  const fields = trimmed.split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((field) => CRON_FIELD.test(field))) {
    throw new Error(`must be a cron pattern like "15 0 * * *" (UTC) or none, got "${raw}"`);
  }
  return fields.join(' ');
};
/** Browser origins like `https://example.org`, comma-separated; a wildcard is refused on purpose. */
export const origins: Parser<string[]> = (raw) =>
  list(raw).map((origin) => {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`must list origins like "https://example.org", got "${origin}"`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      throw new Error(`must list bare origins like "https://example.org" (no path), got "${origin}"`);
    }
    return parsed.origin;
  });

/** An ISO 8601 instant with a zone, such as `2026-03-29T00:30:00Z`. */
export const instant: Parser<Date> = (raw) => {
  const trimmed = raw.trim();
  const parsed = new Date(trimmed);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed) ||
    Number.isNaN(parsed.getTime())
  ) {
    throw new Error(`must be an ISO instant with a zone like "2026-03-29T00:30:00Z", got "${raw}"`);
  }
  return parsed;
};
