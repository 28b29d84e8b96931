import { enqueue } from '@paperboy/queue';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { keyedLimiter } from './rate-limit.ts';

const HOUR = 3_600_000;

/**
 * Queues "your data link" for a reader, within their hourly budget (a 429 beyond it). Export and
 * erase need this fresh, one-hour link: the manage link in every digest is not enough for either.
 */
export function dataLinkRequester(app: App, deps: ApiDeps) {
  const limit = keyedLimiter(app, {
    name: 'data-link',
    // The mails go to the reader's own inbox, but not without end (DATA_LINKS_PER_HOUR).
    max: deps.config.dataLinksPerHour,
    timeWindowMs: HOUR,
    key: (subscriberId) => subscriberId,
  });
  return async (request: FastifyRequest, reply: FastifyReply, subscriberId: string): Promise<void> => {
    await limit(request, reply, subscriberId);
    await enqueue(deps.queues, { name: 'send-data-link', data: { subscriberId } });
  };
}

export const DATA_LINK_MAILED = {
  status: 'mailed',
  message:
    'We mailed a link to your address; open it within an hour to download or erase your data. The manage token alone does neither.',
} as const;
