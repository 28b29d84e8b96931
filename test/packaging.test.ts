import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
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
    const engines = json<{ engines: { node: string } }>('package.json').engines.node;
    const lock = json<{ packages: Record<string, { version?: string; engines?: { node?: string } }> }>(
      'package-lock.json',
    );
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const locked = Object.entries(lock.packages)
      .filter(([, entry]) => typeof entry.engines?.node === 'string')
      .map(([path, entry]) => ({ name: path.replace(/^.*node_modules\//, ''), range: entry.engines!.node! }));
    const [node20, ...later] = engines.split('||').map((range) => range.trim());
    // Past Node 20, `engines` admits only versions every locked package declares it supports.
    for (const range of later)
      for (const { name, range: theirs } of locked)
        expect(semver.subset(range, theirs), `${name} (${theirs}) refuses part of ${range}`).toBe(true);
    // Node 20 from the highest minimum any locked package that runs on 20 declares…
    const within20 = (range: string) =>
      new semver.Range(range).set
        .map((comparators) => `${comparators.map((c) => c.value).join(' ')} >=20.0.0 <21.0.0-0`)
        .join(' || ');
    const minimums = locked
      .map(({ range }) => semver.minVersion(within20(range)))
      .filter((version): version is semver.SemVer => version !== null && version.major === 20);
    const floor = minimums.reduce((a, b) => (semver.gt(a, b) ? a : b));
    expect(node20).toBe(`^${floor.version}`);
    // …and the README names each one that declares Node 20 unsupported (the suite runs on 20 with them).
    const refusing20 = locked.filter(({ range }) => !semver.satisfies(floor, range));
    expect(refusing20.length).toBeGreaterThan(0);
    for (const { name } of refusing20) expect(readme, name).toContain(`\`${name}\``);
    expect(readme).toContain(`\`${engines}\``);
  });
});
