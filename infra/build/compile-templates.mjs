// After `tsc -b tsconfig.dist.json` and copy-assets.mjs: runs MJML once per mail template and
// stores the HTML (with its Handlebars expressions and the template's version) in
// packages/digest/dist/templates/<name>.compiled.json. The compiled code uses it when the version
// matches, so production needs no MJML at run time (packages/digest/src/template-cache.ts).
import { writeFileSync } from 'node:fs';

const templates = await import(new URL('../../packages/digest/dist/template-cache.js', import.meta.url).href);
for (const name of templates.TEMPLATE_NAMES) {
  const html = await templates.compileMjml(name);
  const file = templates.compiledTemplateFile(name);
  writeFileSync(file, `${JSON.stringify({ version: templates.templateVersion(name), html })}\n`);
}
