import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configVariables } from '@paperboy/config';
import { SERVICE_NODE_FLAGS } from '@paperboy/runtime';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The structure is checked here; infra/ci/compose-smoke.sh (run by .ci/run) builds the image and
// runs these files for real with docker-compose 1.29.

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  network_mode?: string;
  depends_on?: Record<string, { condition: string }>;
}
type ComposeFile = { services: Record<string, ComposeService> } & Record<string, unknown>;

/** Compose's `${VAR:-default}` / `${VAR}` as it reads with no .env and nothing exported. */
const withDefaults = (text: string) =>
  text.replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, fallback = '') => fallback);

const composeText = read('docker-compose.yml');
const overrideText = read('docker-compose.override.yml');
const compose = parse(withDefaults(composeText), { merge: true }) as ComposeFile;
const ciText = read('infra/compose.ci.yml');
const ci = parse(withDefaults(ciText), { merge: true }) as ComposeFile;
const dockerfile = read('infra/Dockerfile');
const envExample = read('.env.example');
const APP = ['api', 'worker', 'mailer', 'bounces'];

describe('docker-compose.yml', () => {
  it('has the backing services and the three app services from one image', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'bounces',
      'mailer',
      'mailpit',
      'postgres',
      'redis',
      'worker',
    ]);
    for (const name of APP) {
      const service = compose.services[name]!;
      expect(service.image).toBe('paperboy:latest');
      expect(service.build?.dockerfile).toBe('infra/Dockerfile');
      expect(service.build?.args?.BASE_IMAGE).toBe('node:22-bookworm-slim');
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    }
  });

  it('uses nothing docker-compose 1.29 rejects and never fails for a missing variable', () => {
    // 1.29 refuses a top-level `name`; `${VAR:?message}` made even `docker-compose logs` fail.
    for (const key of Object.keys(parse(composeText) as object)) {
      expect(['services', 'volumes', 'x-app']).toContain(key);
    }
    expect(composeText).not.toMatch(/\$\{\w+:?\?/);
    expect(composeText).not.toContain('!reset');
    expect(ciText).not.toMatch(/\$\{\w+:?\?/);
  });

  it('runs the compiled entry points of the image', () => {
    for (const name of APP) {
      expect(compose.services[name]!.command).toEqual(['node', `services/${name}/dist/main.js`]);
      expect(existsSync(`${root}services/${name}/src/main.ts`)).toBe(true);
      expect(existsSync(`${root}services/${name}/tsconfig.dist.json`)).toBe(true);
    }
  });

  it('passes every paperboy setting through, and nothing paperboy does not know', () => {
    for (const name of APP) {
      const variables = Object.keys(compose.services[name]!.environment ?? {});
      for (const variable of variables) expect(configVariables).toContain(variable);
      const perService = {
        api: ['WORKER_METRICS_PORT', 'MAILER_METRICS_PORT', 'BOUNCE_SMTP_PORT', 'BOUNCES_METRICS_PORT'],
        worker: [
          'PORT',
          'API_METRICS_PORT',
          'MAILER_METRICS_PORT',
          'BOUNCE_SMTP_PORT',
          'BOUNCES_METRICS_PORT',
        ],
        mailer: [
          'PORT',
          'API_METRICS_PORT',
          'WORKER_METRICS_PORT',
          'BOUNCE_SMTP_PORT',
          'BOUNCES_METRICS_PORT',
        ],
        bounces: ['PORT', 'API_METRICS_PORT', 'WORKER_METRICS_PORT', 'MAILER_METRICS_PORT'],
      }[name]!;
      for (const variable of configVariables.filter((v) => !perService.includes(v))) {
        expect(variables, `${name} lacks ${variable}`).toContain(variable);
      }
    }
  });

  it('documents in .env.example every variable paperboy and the compose file read', () => {
    const interpolated = [...`${composeText}${overrideText}`.matchAll(/\$\{(\w+)/g)].map(
      (match) => match[1]!,
    );
    for (const variable of new Set([...configVariables, ...interpolated])) {
      expect(envExample, variable).toMatch(new RegExp(`^#? ?${variable}=`, 'm'));
    }
  });

  it('publishes the api port only in the override file, which host-network overlays leave out', () => {
    expect(compose.services.api!.ports).toBeUndefined();
    const override = parse(withDefaults(overrideText)) as ComposeFile;
    expect(override.services.api!.ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('publishes no port for scaled services and keeps Redis from evicting queue keys', () => {
    // A published host port would make `--scale worker=3` fail on the second replica.
    expect(compose.services.worker!.ports).toBeUndefined();
    expect(compose.services.mailer!.ports).toBeUndefined();
    expect(compose.services.redis!.command).toEqual(
      expect.arrayContaining(['--maxmemory-policy', 'noeviction']),
    );
  });
});

describe('infra/compose.ci.yml', () => {
  it('puts every app container on host networking, talking to 127.0.0.1 only', () => {
    expect(Object.keys(ci.services).sort()).toEqual(['api', 'bounces', 'mailer', 'worker']);
    for (const name of APP) {
      const service = ci.services[name]!;
      expect(service.network_mode).toBe('host');
      const env = service.environment!;
      for (const variable of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_BASE_URL']) {
        expect(new URL(env[variable]!).hostname, variable).toBe('127.0.0.1');
      }
      expect(env.HOST).toBe('127.0.0.1');
      expect(env.INGEST_ENABLED).toBe('false');
      // Replicas share the host's ports: any free one each.
      expect(env.WORKER_METRICS_PORT).toBe('0');
      expect(env.MAILER_METRICS_PORT).toBe('0');
      expect(env.QUEUE_PREFIX).not.toBe('{paperboy}');
      for (const variable of Object.keys(env)) expect(configVariables).toContain(variable);
    }
  });
});

describe('infra/Dockerfile', () => {
  it('builds on a base image chosen by a build argument that defaults to node:22-bookworm-slim', () => {
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=node:22-bookworm-slim$/m);
    const froms = dockerfile.match(/^FROM .*/gm)!;
    expect(froms.length).toBeGreaterThanOrEqual(3);
    for (const from of froms.slice(0, -1)) expect(from).toMatch(/^FROM \$\{BASE_IMAGE\}/);
    // The last stage is that base's root file system, slimmed, as one layer, plus the application.
    expect(froms.at(-1)).toBe('FROM scratch');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime.match(/^COPY .*/gm)).toEqual([
      'COPY --from=runtime-root / /',
      'COPY --from=build /app /app',
    ]);
  });

  it('runs compiled JavaScript as a non-root user under tini, with a health check', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER 10001:10001$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "infra\/healthcheck\.mjs"\]$/m);
    expect(existsSync(`${root}infra/healthcheck.mjs`)).toBe(true);
    expect(runtime).toMatch(/^ENTRYPOINT \["tini", "--"\]$/m);
    expect(runtime).toContain(`NODE_OPTIONS="--conditions=paperboy-dist ${SERVICE_NODE_FLAGS.join(' ')}"`);
    expect(runtime).not.toContain('tsx');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/sh infra\/build\/slim-app\.sh/);
  });

  it('keeps secrets and local builds out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', '**/node_modules', '**/dist', '.git', '.env'])
      expect(ignored).toContain(entry);
  });
});
