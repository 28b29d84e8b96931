import { type TObject, type TString, Type } from 'typebox';

/** Every error the API answers has this shape (see errors.ts). */
export const ErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });

const WHEN: Record<number, string> = {
  400: 'The request is malformed or a field is invalid',
  401: 'Missing, invalid, expired or revoked credentials',
  404: 'Nothing of that name exists',
  409: 'The request conflicts with the current state',
  413: 'The body is larger than this route accepts',
  415: 'The body has a content type this route does not accept',
  429: 'Too many requests from this client or for this address; see Retry-After',
  503: 'Postgres or Redis failed and nothing was recorded; send the same request again after Retry-After',
};

type ErrorSchemas<C extends number> = { [K in C]: TObject<{ error: TString; message: TString }> };

/** The error answers a route documents, each with the one error body and a description for the docs. */
export function errorResponses<const C extends number>(...codes: C[]): ErrorSchemas<C> {
  const out: Partial<Record<number, unknown>> = {};
  for (const code of codes) {
    out[code] = Type.Object(
      { error: Type.String(), message: Type.String() },
      { description: WHEN[code] ?? 'Error' },
    );
  }
  return out as ErrorSchemas<C>;
}

/** A server-rendered page, for the docs and for fastify's serializer (strings pass through). */
export function htmlResponse(description: string) {
  return { description, content: { 'text/html': { schema: Type.String() } } };
}
