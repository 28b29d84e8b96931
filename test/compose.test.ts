import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configVariables } from '@paperboy/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync(`${root}infra/Dockerfile`, 'utf8');

describe('docker-compose.yml and the Dockerfile', () => {
  it('has the backing services and the app services from one image', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'bounces',
      'mailer',
      'mailpit',
      'postgres',
      'redis',
      'worker',
    ]);
    for (const name of ['api', 'worker', 'mailer', 'bounces']) {
      const service = compose.services[name]!;
      expect(service.image).toBe('paperboy:latest');
      expect(service.build?.dockerfile).toBe('infra/Dockerfile');
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    }
  });

  it('runs commands that exist in the image', () => {
    for (const name of ['api', 'worker', 'mailer', 'bounces']) {
      const command = compose.services[name]!.command!;
      expect(command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      expect(existsSync(`${root}${command[3]}`)).toBe(true);
      // The Dockerfile copies services/ and packages/, so every entry point is in the image.
      expect(dockerfile).toContain(`COPY ${command[3]!.split('/')[0]}/`);
    }
    expect(dockerfile).toMatch(/^FROM node:22/m);
  });

  it('copies every workspace manifest before npm ci, so the lockfile matches', () => {
    const rootManifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { workspaces: string[] };
    const workspaces = rootManifest.workspaces.flatMap((pattern) => {
      const folder = pattern.replace('/*', '');
      return readdirSync(`${root}${folder}`).map((name) => `${folder}/${name}`);
    });
    for (const workspace of workspaces) {
      expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
  });

  it('passes only variables paperboy knows, and no port for scaled services', () => {
    for (const name of ['api', 'worker', 'mailer', 'bounces']) {
      for (const variable of Object.keys(compose.services[name]!.environment ?? {})) {
        expect(configVariables).toContain(variable);
      }
    }
    // A published host port would make `--scale worker=3` fail on the second replica.
    expect(compose.services.worker!.ports).toBeUndefined();
    expect(compose.services.mailer!.ports).toBeUndefined();
  });

  it('keeps Redis from evicting queue keys', () => {
    expect(compose.services.redis!.command).toEqual(
      expect.arrayContaining(['--maxmemory-policy', 'noeviction']),
    );
  });
});
