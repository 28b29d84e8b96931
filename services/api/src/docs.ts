import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { App } from './app.ts';

/** Collects every route registered after it into the OpenAPI document. */
export async function registerApiDocs(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'paperboy',
        version: '1',
        description:
          'Sign up for a daily digest of trending research papers, manage it, leave it. Every error is JSON `{error, message}`.',
      },
      components: {
        securitySchemes: {
          manageToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The token of the /manage/TOKEN link in any digest',
          },
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The ADMIN_TOKEN the api was started with',
          },
          webhookSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Paperboy-Signature',
            description: 'sha256=HEX: HMAC-SHA256 of the raw request body under BOUNCE_WEBHOOK_SECRET',
          },
          postmarkBasic: {
            type: 'http',
            scheme: 'basic',
            description:
              'POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD, put in the webhook URL set in Postmark',
          },
        },
      },
    },
  });
}

/** The UI at /docs and the document at /docs/json; registered after the routes it shows. */
export async function registerApiDocsUi(app: App): Promise<void> {
  // The UI needs its own scripts and styles: staticCSP replaces the API's strict policy on its pages only.
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
