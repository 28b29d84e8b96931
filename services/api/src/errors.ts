import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app.ts';

/** The one error body every route answers with. */
export interface ErrorBody {
  error: string;
  message: string;
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

/**
 * Our side cannot do it right now (Postgres or Redis failed), nothing was half-done, and the same
 * request may simply be sent again: a 503 with Retry-After, not a 500.
 */
export class RetryLater extends Error {
  readonly statusCode = 503;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryLater';
  }
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error: CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), message };
}

/**
 * Bad input is always a 4xx JSON answer saying what is wrong; only our own faults are 5xx, and
 * those never show a stack trace or an internal message.
 */
export function installErrorHandling(app: App): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      const first = error.validation[0];
      const path = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where;
      const detail =
        first?.keyword === 'additionalProperties'
          ? `${path} has an unknown field "${String((first.params as { additionalProperty?: string }).additionalProperty)}"`
          : `${path} ${first?.message ?? 'is invalid'}`;
      return reply.status(400).send(errorBody(400, detail));
    }
    if (error instanceof RetryLater) {
      reply.header('retry-after', error.retryAfterSeconds);
      return reply.status(503).send(errorBody(503, error.message));
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.status(500).send(errorBody(500, 'something went wrong on our side; it has been logged'));
    }
    return reply.status(status).send(errorBody(status, error.message));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody(404, `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}

/**
 * The few errors fastify raises before routing (a URL with broken percent-encoding, a failed
 * async constraint) skip the error handler; they get the same JSON body through here.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  reply
    .status(status)
    .send(errorBody(status, error.code === 'FST_ERR_BAD_URL' ? 'the URL is malformed' : error.message));
}
