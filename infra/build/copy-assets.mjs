// After `tsc -b tsconfig.dist.json`: copies every file of a workspace's src/ that tsc does not emit
// (MJML templates and their notes) into its dist/, where the compiled code looks for it by the same
// relative path it uses in src/.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const emitted = /\.(ts|tsx)$/;

for (const group of ['packages', 'services']) {
  for (const name of readdirSync(join(root, group))) {
    const workspace = join(root, group, name);
    if (!existsSync(join(workspace, 'tsconfig.dist.json'))) continue;
    cpSync(join(workspace, 'src'), join(workspace, 'dist'), {
      recursive: true,
      filter: (source) => !emitted.test(source),
    });
  }
}
