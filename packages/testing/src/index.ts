export { ARTIFACTS_DIR, CHROMIUM, launchBrowser } from './browser.ts';
export { COMPILED_BUILD_ENV } from './compiled-build.ts';
export { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './database.ts';
export { type FakeSources, hfWireItem, startFakeSources } from './fake-sources.ts';
export { createTestQueuePrefix, TEST_REDIS_URL } from './queue-prefix.ts';
export { type Random, seededRandom } from './random.ts';
export { type ReceivedMail, type SmtpSink, type SmtpSinkOptions, startSmtpSink } from './smtp-sink.ts';
