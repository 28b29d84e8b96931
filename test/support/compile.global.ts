import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds the production JavaScript (`npm run compile`) once before any test file runs. Tests that
 * start the CLI or a service as its own process run the compiled build, as the image does
 * (`NODE_OPTIONS=--conditions=paperboy-dist`): each start then skips tsx's transform of every
 * source file, which is most of a cold start on these 2 cores. One build here, instead of one per
 * file, also keeps two files from writing the same dist/ at once.
 */
export default function compileOnce(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync('npm', ['run', '-s', 'compile'], { cwd: root, stdio: 'inherit', timeout: 300_000 });
}
