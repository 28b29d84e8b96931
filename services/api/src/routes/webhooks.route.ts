import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type BounceReport, type RecordedBounce, recordBounce } from '@paperboy/db';
import { type MailRef, mailRefFromAddress, verifyMailRef } from '@paperboy/links';
import type { FastifyBaseLogger } from 'fastify';
import type { Static } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { normaliseEmail } from '../email-address.ts';
import { errorBody } from '../errors.ts';
import { errorResponses } from '../schemas.ts';
import { postmarkReport, sesReports } from './webhooks-adapters.ts';
import { basicAuthWith, rawBodies, signedWith } from './webhooks-auth.ts';
import { BounceWebhookBody, PostmarkBody, SnsBody, WebhookResult } from './webhooks-schemas.ts';
import { createSnsVerifier, fetchOverHttps, snsUrl } from './webhooks-sns.ts';

const tags = ['webhooks'];

/**
 * The HTTP door for bounces and complaints: paperboy's own signed JSON, Amazon SES through SNS, and
 * Postmark. Every event goes through the same recordBounce (store, then listmonk's policy) as the
 * SMTP listener's. A signature that does not check out is a 401 before anything is read or stored.
 */
export function webhookRoutes(app: App, deps: ApiDeps): void {
  const { config } = deps;
  const verifySns = createSnsVerifier(deps.snsFetch ?? fetchOverHttps);
  const refOf = (address: string | undefined): MailRef | null =>
    address ? mailRefFromAddress(config.tokenSecret, address, config.bounceDomain) : null;

  async function record(
    reports: BounceReport[],
    log: FastifyBaseLogger,
  ): Promise<Static<typeof WebhookResult>['recorded']> {
    const recorded: RecordedBounce[] = [];
    for (const report of reports) {
      const result = await recordBounce(deps.pool, report);
      recorded.push(result);
      const line = {
        bounceId: result.id,
        source: report.source,
        kind: result.kind,
        suppressed: result.suppressed,
      };
      if (report.kind === 'unparsed') log.warn(line, 'webhook report could not be parsed; stored for review');
      else log.info(line, 'webhook report recorded');
    }
    return recorded.map(({ id, kind, deliveryId, suppressed }) => ({ id, kind, deliveryId, suppressed }));
  }

  app.register(async (scope) => {
    const hooks = scope.withTypeProvider<TypeBoxTypeProvider>();
    // Signatures cover the bytes as sent, so the body is kept raw; SNS posts its JSON as text/plain.
    scope.removeContentTypeParser(['application/json', 'text/plain']);
    scope.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'string' },
      (request, body, done) => {
        rawBodies.set(request, body as string);
        try {
          done(null, JSON.parse(body as string));
        } catch {
          // Not JSON: the signature check still answers first; schema validation then says what is wrong.
          done(null, null);
        }
      },
    );

    hooks.post(
      '/v1/webhooks/bounces',
      {
        bodyLimit: 256 * 1024,
        preValidation: signedWith(config.bounceWebhookSecret),
        schema: {
          summary:
            'Report bounces and complaints (signed JSON: X-Paperboy-Signature: sha256=HMAC-SHA256 of the body)',
          description:
            'Each event names its message by `reference` (the envelope sender bounces+TOKEN@BOUNCE_DOMAIN, or TOKEN) or, failing that, by `email`. One hard bounce or complaint suppresses the address; three soft bounces within 7 days do.',
          tags,
          security: [{ webhookSignature: [] }],
          body: BounceWebhookBody,
          response: { 200: WebhookResult, ...errorResponses(400, 401, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        const reports: BounceReport[] = [];
        for (const [index, event] of request.body.events.entries()) {
          const ref = event.reference
            ? event.reference.includes('@')
              ? refOf(event.reference)
              : verifyMailRef(config.tokenSecret, event.reference)
            : null;
          if (event.reference && !ref)
            return reply
              .status(400)
              .send(errorBody(400, `body.events.${index}.reference is not a paperboy VERP address`));
          const email = event.email === undefined ? null : normaliseEmail(event.email);
          if (event.email !== undefined && email === null)
            return reply
              .status(400)
              .send(errorBody(400, `body.events.${index}.email is not a valid email address`));
          if (!ref && !email)
            return reply
              .status(400)
              .send(errorBody(400, `body.events.${index} needs a reference or an email`));
          reports.push({
            source: 'webhook',
            kind: event.type,
            ref,
            recipient: email,
            status: event.status ?? null,
            action: null,
            diagnostic: event.diagnostic ?? null,
            raw: null,
          });
        }
        return { status: 'recorded' as const, recorded: await record(reports, request.log) };
      },
    );

    hooks.post(
      '/v1/webhooks/bounces/ses',
      {
        bodyLimit: 512 * 1024,
        schema: {
          summary: 'Amazon SES bounce and complaint notifications through an SNS topic (HTTPS subscription)',
          description:
            'The SNS signature is checked against Amazon’s signing certificate, and the topic must be one of SES_SNS_TOPIC_ARNS. A SubscriptionConfirmation is confirmed by visiting its SubscribeURL.',
          tags,
          body: SnsBody,
          response: { 200: WebhookResult, ...errorResponses(400, 401, 413, 415, 429), 502: WebhookError },
        },
      },
      async (request, reply) => {
        const message = request.body;
        // Anyone can make SNS sign messages for a topic of their own: the topic is what ties it to us.
        if (!config.sesSnsTopicArns.includes(message.TopicArn) || !(await verifySns(message)))
          return reply
            .status(401)
            .send(errorBody(401, 'not a correctly signed SNS message from a configured topic'));
        if (message.Type === 'SubscriptionConfirmation') {
          const url = snsUrl(message.SubscribeURL);
          if (!url)
            return reply.status(400).send(errorBody(400, 'body.SubscribeURL is not an SNS https URL'));
          try {
            await (deps.snsFetch ?? fetchOverHttps)(url);
          } catch (error) {
            request.log.error(
              { err: error, topic: message.TopicArn },
              'could not confirm the SNS subscription',
            );
            return reply
              .status(502)
              .send({ error: 'bad_gateway', message: 'SNS did not answer the confirmation; it will retry' });
          }
          request.log.info({ topic: message.TopicArn }, 'SNS subscription confirmed');
          return { status: 'subscribed' as const, recorded: [] };
        }
        if (message.Type !== 'Notification') return { status: 'ignored' as const, recorded: [] };
        const reports = sesReports(message.Message, refOf);
        if (reports.length === 0) return { status: 'ignored' as const, recorded: [] };
        return { status: 'recorded' as const, recorded: await record(reports, request.log) };
      },
    );

    hooks.post(
      '/v1/webhooks/bounces/postmark',
      {
        bodyLimit: 512 * 1024,
        onRequest: basicAuthWith(config.postmarkWebhookUser, config.postmarkWebhookPassword),
        schema: {
          summary: 'Postmark bounce and spam-complaint webhooks (basic auth, as Postmark documents)',
          tags,
          security: [{ postmarkBasic: [] }],
          body: PostmarkBody,
          response: { 200: WebhookResult, ...errorResponses(400, 401, 413, 415, 429) },
        },
      },
      async (request) => {
        const report = postmarkReport(request.body, rawBodies.get(request) ?? '');
        if (!report) return { status: 'ignored' as const, recorded: [] };
        return { status: 'recorded' as const, recorded: await record([report], request.log) };
      },
    );
  });
}

const WebhookError = errorResponses(502)[502];
