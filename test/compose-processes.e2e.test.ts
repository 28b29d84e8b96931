import { readFileSync } from 'node:fs';
import { connectionConfig } from '@paperboy/db';
import {
  COMPILED_BUILD_ENV,
  createTestQueuePrefix,
  type SmtpSink,
  startSmtpSink,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from '@paperboy/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isConfirmation } from './support/mail-kinds.ts';
import { repoRoot, type Spawned, spawnCommand } from './support/processes.ts';

interface ComposeService {
  command: string[];
  environment: Record<string, string>;
}

// No Docker engine runs here, so this runs what compose would run: each app service's command with
// its environment, only with the hosts of the compose network replaced by this machine's services.
describe('the compose services as plain processes', () => {
  const compose = parse(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const databaseName = `paperboy_compose_${process.pid}`;
  const queuePrefix = createTestQueuePrefix('compose');
  const processes = new Map<string, Spawned>();
  let sink: SmtpSink;

  function environmentFor(service: string): Record<string, string> {
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.pathname = `/${databaseName}`;
    const resolved: Record<string, string> = {};
    for (const [name, value] of Object.entries(compose.services[service]!.environment)) {
      // Compose interpolates ${VAR:-default}; the test supplies what an operator would export.
      resolved[name] = value.replace(/\$\{[A-Z_]+:?-([^}]*)\}/g, '$1');
    }
    return {
      ...resolved,
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: TEST_REDIS_URL,
      SMTP_URL: sink.url,
      QUEUE_PREFIX: queuePrefix.prefix,
      TOKEN_SECRET: 'compose-test-secret-compose-test-secret',
      HOST: '127.0.0.1',
      PORT: '0',
      API_METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      MAILER_METRICS_PORT: '0',
      // What the image's ENV sets: every @paperboy/* package resolves to its compiled dist/
      // (built once for the suite by test/support/compile.global.ts).
      ...COMPILED_BUILD_ENV,
    };
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    for (const service of ['api', 'worker', 'mailer']) {
      const [command, ...args] = compose.services[service]!.command;
      processes.set(service, spawnCommand(command!, args, environmentFor(service)));
    }
  });

  afterAll(async () => {
    for (const spawned of processes.values()) await spawned.stop();
    await sink?.close();
    await queuePrefix.remove();
    const admin = new pg.Client(connectionConfig(TEST_DATABASE_URL));
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
  });

  it('start in production mode, serve a sign-up end to end, and shut down cleanly on SIGTERM', {
    timeout: 180_000,
  }, async () => {
    const [, address] = await processes
      .get('api')!
      .waitForOutput(/"msg":"Server listening at (http:\/\/[^"]+)"/, 90_000);
    const [, workerOps] = await processes.get('worker')!.waitForOutput(/"opsPort":(\d+)/, 90_000);
    const [, mailerOps] = await processes.get('mailer')!.waitForOutput(/"opsPort":(\d+)/, 90_000);
    expect((await fetch(`${address}/readyz`)).status).toBe(200);
    for (const port of [workerOps, mailerOps]) {
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('paperboy_');
    }

    const signup = await fetch(`${address}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'compose@example.org' }),
    });
    expect(signup.status).toBe(202);
    await sink.waitFor(isConfirmation);

    for (const [service, spawned] of processes) {
      spawned.child.kill('SIGTERM');
      expect(await spawned.exited, `${service} exit code`).toBe(0);
      expect(spawned.output()).toContain('shut down cleanly');
    }
  });
});
