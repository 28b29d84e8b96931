import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileMjml, TEMPLATE_NAMES, templateVersion } from '../packages/digest/src/template-cache.ts';

// How the workspaces are built for the production image (README, "How the code is built"):
// `npm run compile` = `tsc -b tsconfig.dist.json`, one dist/ per workspace, chosen at run time by
// the `paperboy-dist` export condition; development and tests keep running the TypeScript sources.

const root = fileURLToPath(new URL('..', import.meta.url));
const json = <T>(file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as T;

interface Manifest {
  name: string;
  exports?: Record<string, Record<string, string>>;
  imports?: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  bin?: Record<string, string>;
}
const workspaces = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => `${group}/${name}`),
);
const shipped = workspaces.filter((folder) => folder !== 'packages/testing');
const folderOf = (name: string) =>
  workspaces.find((folder) => json<Manifest>(`${folder}/package.json`).name === name)!;
const DEV_ONLY = [
  'typescript',
  'tsx',
  'vitest',
  'vite',
  'playwright-core',
  'mailparser',
  'smtp-server',
  '@biomejs/biome',
];

describe('the production build', () => {
  it('compiles every shipped workspace from one solution file, in dependency order', () => {
    const solution = json<{ references: { path: string }[] }>('tsconfig.dist.json');
    expect(solution.references.map((r) => dirname(r.path.replace('./', ''))).sort()).toEqual(shipped.sort());
    for (const folder of shipped) {
      const config = json<{ references: { path: string }[]; compilerOptions: { outDir: string } }>(
        `${folder}/tsconfig.dist.json`,
      );
      expect(config.compilerOptions.outDir).toBe('dist');
      const manifest = json<Manifest>(`${folder}/package.json`);
      const internal = Object.keys(manifest.dependencies ?? {}).filter((name) =>
        name.startsWith('@paperboy/'),
      );
      // tsc -b builds a referenced workspace first; a missing reference would compile against nothing.
      expect(config.references.map((r) => r.path).sort(), folder).toEqual(
        internal.map((name) => `${relative(folder, folderOf(name))}/tsconfig.dist.json`).sort(),
      );
    }
  });

  it('points each package at its sources by default and at dist/ under the paperboy-dist condition', () => {
    for (const folder of shipped.filter((f) => existsSync(join(root, f, 'src/index.ts')))) {
      expect(json<Manifest>(`${folder}/package.json`).exports, folder).toEqual({
        '.': { 'paperboy-dist': './dist/index.js', default: './src/index.ts' },
      });
    }
    const cli = json<Manifest>('services/cli/package.json');
    expect(cli.imports).toEqual({ '#main': { 'paperboy-dist': './dist/main.js', default: './src/main.ts' } });
    expect(cli.bin).toEqual({ paperboy: './bin/paperboy.js' });
    expect(existsSync(join(root, 'services/cli/bin/paperboy.js'))).toBe(true);
  });

  it('keeps test and build tools out of every production dependency list', () => {
    for (const folder of workspaces) {
      const dependencies = Object.keys(json<Manifest>(`${folder}/package.json`).dependencies ?? {});
      // The bounces service is an SMTP server: there smtp-server is the product, not a test tool.
      const allowed = folder === 'services/bounces' ? ['smtp-server'] : [];
      for (const tool of DEV_ONLY.filter((name) => !allowed.includes(name)))
        expect(dependencies, `${folder} ships ${tool}`).not.toContain(tool);
      expect(
        dependencies.filter((name) => name.startsWith('@types/')),
        folder,
      ).toEqual([]);
      // The testing helpers are for tests only, never a dependency of shipped code.
      expect(dependencies, folder).not.toContain('@paperboy/testing');
    }
  });

  it('carries each mail template as the HTML MJML makes from its source, so production needs no MJML', async () => {
    // vitest's globalSetup ran `npm run compile`, as the image build does.
    for (const name of TEMPLATE_NAMES) {
      const stored = json<{ version: string; html: string }>(
        `packages/digest/dist/templates/${name}.compiled.json`,
      );
      expect(stored.version, name).toBe(templateVersion(name));
      expect(stored.html, name).toBe(await compileMjml(name));
    }
    const digest = json<Manifest>('packages/digest/package.json');
    expect(Object.keys(digest.dependencies ?? {})).not.toContain('mjml');
    expect(Object.keys(digest.devDependencies ?? {})).toContain('mjml');
  });

  it('states the Node versions the locked packages support', () => {
    const manifest = json<{ engines: { node: string } }>('package.json');
    expect(manifest.engines.node).toBe('>=20.19');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('Node.js 20.19');
  });
});
