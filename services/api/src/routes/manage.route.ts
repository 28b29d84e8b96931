import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  findFeedLinkReader,
  findLearning,
  findPendingAddressChange,
  renewFeedLink,
  revokeLinks,
  type Subscriber,
  updatePreferences,
} from '@paperboy/db';
import { linkPaths, personalFeedUrl, personalUrl, signToken } from '@paperboy/links';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../app.ts';
import type { ApiDeps } from '../deps.ts';
import { formFrom, type ManageForm, managePage } from '../pages/manage-page.ts';
import { linksRevokedPage } from '../pages/manage-result-pages.ts';
import type { ManageExtras } from '../pages/manage-sections.ts';
import { sendPage } from '../pages/send-page.ts';
import { invalidLinkPage } from '../pages/token-pages.ts';
import { askForDataLinkPage, dataLinkMailedPage } from '../pages/your-data-pages.ts';
import type { FieldProblem } from '../preferences.ts';
import { errorResponses, htmlResponse } from '../schemas.ts';
import { dataLinkRequester } from '../security/data-link-request.ts';
import { findReader } from '../security/reader-auth.ts';
import { formFromBody, ManageFormBody, readManageForm } from './manage-form.ts';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) });
const tags = ['preference centre'];
const invalid = htmlResponse('A page saying the link does not work (forged, revoked or erased)');

/**
 * The preference centre every digest links to: plain HTML forms that POST back, so it works with
 * no JavaScript. The manage token in the path is the only credential.
 */
export function manageRoutes(app: App, deps: ApiDeps): void {
  const paths = (token: string, subscriber: Subscriber) => {
    const unsubscribeToken = signToken(deps.config.tokenSecret, {
      purpose: 'unsubscribe',
      subscriberId: subscriber.id,
      version: subscriber.tokenVersion,
      expiresAt: 0,
    });
    // Relative paths: the forms post to this very site (CSP form-action 'self').
    const self = `${linkPaths.manage}${token}`;
    return {
      save: self,
      unsubscribe: `${linkPaths.unsubscribe}${unsubscribeToken}`,
      dataLink: `${self}/data-link`,
      revoke: `${self}/revoke`,
      newFeedLink: `${self}/feed`,
      changeAddress: `${self}/address`,
      resetLearning: `${self}/learning/reset`,
    };
  };
  const links = { publicBaseUrl: deps.config.publicBaseUrl, tokenSecret: deps.config.tokenSecret };
  const feedUrl = async (subscriber: Subscriber) => {
    const feedReader = await findFeedLinkReader(deps.pool, subscriber.id);
    return feedReader ? personalFeedUrl(links, feedReader) : '';
  };
  const render = async (
    token: string,
    subscriber: Subscriber,
    extra: {
      form?: ManageForm;
      problems?: FieldProblem[];
      saved?: boolean;
      feedRenewed?: boolean;
      notices?: Pick<ManageExtras, 'addressNotice' | 'learningReset'>;
    } = {},
  ) =>
    managePage({
      subscriber,
      actions: paths(token, subscriber),
      feedUrl: await feedUrl(subscriber),
      feedRenewed: extra.feedRenewed ?? false,
      extras: {
        learning: await findLearning(deps.pool, subscriber.id),
        pendingAddress: await findPendingAddressChange(deps.pool, subscriber.id),
        addressNotice: extra.notices?.addressNotice ?? null,
        learningReset: extra.notices?.learningReset ?? false,
      },
      form: extra.form ?? formFrom(subscriber),
      problems: extra.problems ?? [],
      saved: extra.saved ?? false,
      now: new Date(),
    });

  const requestDataLink = dataLinkRequester(app, deps);

  app.register(async (scope) => {
    const manage = scope.withTypeProvider<TypeBoxTypeProvider>();

    manage.get(
      '/manage/:token',
      {
        schema: {
          summary: 'Preference centre page',
          tags,
          params: TokenParams,
          querystring: Type.Object({
            saved: Type.Optional(Type.Literal('1')),
            feed: Type.Optional(Type.Literal('new')),
            address: Type.Optional(
              Type.Union([Type.Literal('sent'), Type.Literal('invalid'), Type.Literal('refused')]),
            ),
            learning: Type.Optional(Type.Literal('reset')),
          }),
          response: { 200: htmlResponse('The preference form'), 400: invalid, ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const reader = await findReader(deps, token);
        if (!reader) return sendPage(reply, 400, invalidLinkPage());
        const notices = {
          addressNotice: request.query.address ?? null,
          learningReset: request.query.learning === 'reset',
        };
        const shown = {
          saved: request.query.saved === '1',
          feedRenewed: request.query.feed === 'new',
          notices,
        };
        return sendPage(reply, 200, await render(token, reader, shown));
      },
    );

    manage.post(
      '/manage/:token',
      {
        bodyLimit: 8 * 1024,
        schema: {
          summary: 'Save preferences from the form; answers 303 to the page with a saved notice',
          tags,
          params: TokenParams,
          body: ManageFormBody,
          response: {
            303: Type.Null({ description: 'Saved; go to the page with a saved notice' }),
            400: htmlResponse('The form again with what to fix, or a page saying the link does not work'),
            409: htmlResponse('The reader has unsubscribed; nothing was saved'),
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const reader = await findReader(deps, token);
        if (!reader) return sendPage(reply, 400, invalidLinkPage());
        if (reader.status === 'unsubscribed') return sendPage(reply, 409, await render(token, reader));
        const form = readManageForm(request.body);
        if (!form.ok) {
          const shown = formFromBody(request.body, formFrom(reader));
          return sendPage(reply, 400, await render(token, reader, { form: shown, problems: form.problems }));
        }
        const updated = await updatePreferences(deps.pool, reader.id, reader.tokenVersion, form.change);
        if (!updated) return sendPage(reply, 400, invalidLinkPage());
        // Post/redirect/get: reloading the page shows the saved settings instead of posting again.
        return reply.status(303).header('location', `${linkPaths.manage}${token}?saved=1`).send(null);
      },
    );

    // Export and erase need a fresh link mailed to the reader (valid one hour): the manage link
    // travels in every digest, and a forwarded digest must not hand over or destroy anyone's data.
    const mailDataLink = async (token: string, request: FastifyRequest, reply: FastifyReply) => {
      const reader = await findReader(deps, token);
      if (!reader) return sendPage(reply, 400, invalidLinkPage());
      await requestDataLink(request, reply, reader.id);
      return sendPage(reply, 200, dataLinkMailedPage(`${linkPaths.manage}${token}`));
    };
    const mailedResponses = {
      200: htmlResponse('We mailed you a link to download or erase your data'),
      400: invalid,
      ...errorResponses(413, 415, 429),
    };

    manage.post(
      '/manage/:token/data-link',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Mail me a link (valid one hour) to download or erase my data',
          tags,
          params: TokenParams,
          response: mailedResponses,
        },
      },
      async (request, reply) => mailDataLink(request.params.token, request, reply),
    );

    manage.get(
      '/manage/:token/export',
      {
        schema: {
          summary: 'Where old export links land: a button that mails a data link (changes nothing)',
          tags,
          params: TokenParams,
          response: { 200: htmlResponse('A page with a button'), 400: invalid, ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        if (!(await findReader(deps, token))) return sendPage(reply, 400, invalidLinkPage());
        return sendPage(reply, 200, askForDataLinkPage(`${linkPaths.manage}${token}/data-link`));
      },
    );

    manage.post(
      '/manage/:token/erase',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Erasing needs a data link: mails one (valid one hour) and erases nothing',
          tags,
          params: TokenParams,
          body: Type.Object(
            { confirm: Type.Optional(Type.String({ maxLength: 10 })) },
            { additionalProperties: false },
          ),
          response: mailedResponses,
        },
      },
      async (request, reply) => mailDataLink(request.params.token, request, reply),
    );

    manage.post(
      '/manage/:token/feed',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'New feed link: the old personal feed link stops working; other links keep working',
          tags,
          params: TokenParams,
          response: {
            303: Type.Null({ description: 'Done; go to the page showing the new feed link' }),
            400: invalid,
            ...errorResponses(413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const reader = await findReader(deps, token);
        const renewed = reader && (await renewFeedLink(deps.pool, reader.id, reader.tokenVersion));
        if (!renewed) return sendPage(reply, 400, invalidLinkPage());
        return reply.status(303).header('location', `${linkPaths.manage}${token}?feed=new#feed`).send(null);
      },
    );

    manage.post(
      '/manage/:token/revoke',
      {
        bodyLimit: 1024,
        schema: {
          summary: 'Sign out every link sent so far; shows a fresh link to this page',
          tags,
          params: TokenParams,
          response: { 200: htmlResponse('Signed out'), 400: invalid, ...errorResponses(413, 415, 429) },
        },
      },
      async (request, reply) => {
        const reader = await findReader(deps, request.params.token);
        const version = reader && (await revokeLinks(deps.pool, reader.id, reader.tokenVersion));
        if (!reader || version === null) return sendPage(reply, 400, invalidLinkPage());
        const manageUrl = personalUrl(links, 'manage', { id: reader.id, tokenVersion: version });
        return sendPage(reply, 200, linksRevokedPage(manageUrl));
      },
    );
  });
}
