import { Type } from 'typebox';

/** paperboy's own webhook shape: what any relay or script can send once it knows the secret. */
export const BounceEvent = Type.Object(
  {
    type: Type.Union([Type.Literal('hard'), Type.Literal('soft'), Type.Literal('complaint')], {
      description: 'hard: permanent failure (5.x.x); soft: temporary (4.x.x); complaint: marked as spam',
    }),
    reference: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 320,
        description:
          'The envelope sender (Return-Path) of the bounced message, bounces+TOKEN@BOUNCE_DOMAIN, or its TOKEN: names the exact delivery',
      }),
    ),
    email: Type.Optional(
      Type.String({ minLength: 3, maxLength: 254, description: 'The recipient, when there is no reference' }),
    ),
    status: Type.Optional(Type.String({ maxLength: 32, description: 'Enhanced status code, e.g. 5.1.1' })),
    diagnostic: Type.Optional(Type.String({ maxLength: 1000, description: 'The remote server’s answer' })),
  },
  { additionalProperties: false },
);

export const BounceWebhookBody = Type.Object(
  { events: Type.Array(BounceEvent, { minItems: 1, maxItems: 100 }) },
  {
    additionalProperties: false,
    description:
      'Signed with X-Paperboy-Signature: sha256=HEX, the HMAC-SHA256 of the raw body under BOUNCE_WEBHOOK_SECRET',
  },
);

export const WebhookResult = Type.Object({
  status: Type.Union([Type.Literal('recorded'), Type.Literal('subscribed'), Type.Literal('ignored')], {
    description: 'ignored: a notification that is not a bounce or complaint (e.g. a delivery)',
  }),
  recorded: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      deliveryId: Type.Union([Type.String(), Type.Null()]),
      suppressed: Type.Boolean(),
    }),
  ),
});

/** The envelope Amazon SNS posts (as text/plain JSON); SES's notification is the Message string. */
export const SnsBody = Type.Object({
  Type: Type.String({ maxLength: 64 }),
  MessageId: Type.String({ maxLength: 128 }),
  TopicArn: Type.String({ maxLength: 512 }),
  Message: Type.String({ maxLength: 256 * 1024 }),
  Timestamp: Type.String({ maxLength: 64 }),
  SignatureVersion: Type.String({ maxLength: 4 }),
  Signature: Type.String({ maxLength: 4096 }),
  SigningCertURL: Type.String({ maxLength: 2048 }),
  Subject: Type.Optional(Type.String({ maxLength: 1024 })),
  SubscribeURL: Type.Optional(Type.String({ maxLength: 2048 })),
  UnsubscribeURL: Type.Optional(Type.String({ maxLength: 2048 })),
  Token: Type.Optional(Type.String({ maxLength: 2048 })),
});

/** Postmark's bounce and spam-complaint webhook; other fields it sends are accepted and ignored. */
export const PostmarkBody = Type.Object({
  RecordType: Type.String({ maxLength: 64 }),
  Type: Type.Optional(Type.String({ maxLength: 64 })),
  TypeCode: Type.Optional(Type.Integer()),
  Email: Type.Optional(Type.String({ maxLength: 320 })),
  Description: Type.Optional(Type.String({ maxLength: 4096 })),
  Details: Type.Optional(Type.String({ maxLength: 4096 })),
});
