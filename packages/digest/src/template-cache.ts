import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type mjml2htmlFunction from 'mjml';
import { asciiHtml, oneByteString } from './ascii-html.ts';
import type { DigestView } from './digest-view.ts';
import { leanHtml } from './lean-html.ts';

export const TEMPLATE_NAMES = ['digest', 'confirmation', 'welcome', 'data-link', 'notice'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/**
 * Bump when TypeScript code changes what a template shows (authors, summaries, badges), so stored
 * editions rendered by older code get a new key even though the .mjml files did not change.
 */
export const RENDERER_VERSION = '2';

const CONTENT_SLOT = '<!-- @content -->';
// An isolated instance: helpers or partials registered elsewhere in the process cannot leak in.
const handlebars = Handlebars.create();

const sources = new Map<TemplateName, string>();
const versions = new Map<TemplateName, string>();
const compiledHtml = new Map<string, Promise<string>>();
const compiled = new Map<string, Promise<Handlebars.TemplateDelegate<unknown>>>();
const editionTemplates = new Map<string, Promise<(view: DigestView) => string>>();
let compileCount = 0;

function readTemplateFile(file: string): string {
  return readFileSync(new URL(`./templates/${file}`, import.meta.url), 'utf8');
}

/** The full MJML of a mail: the shared layout with the mail's own body in its content slot. */
export function templateSource(name: TemplateName): string {
  let source = sources.get(name);
  if (source === undefined) {
    const layout = readTemplateFile('layout.mjml');
    if (!layout.includes(CONTENT_SLOT)) throw new Error(`layout.mjml lacks the ${CONTENT_SLOT} slot`);
    source = layout.replace(CONTENT_SLOT, () => readTemplateFile(`${name}.mjml`));
    sources.set(name, source);
  }
  return source;
}

/** Hash of the composed template and the renderer version: changes whenever the output could. */
export function templateVersion(name: TemplateName): string {
  let version = versions.get(name);
  if (version === undefined) {
    version = createHash('sha256')
      .update(`${RENDERER_VERSION}\n${templateSource(name)}`)
      .digest('hex')
      .slice(0, 16);
    versions.set(name, version);
  }
  return version;
}

/** How many times MJML compiled a template in this process; tests count it instead of timing. */
export function mjmlCompileCount(): number {
  return compileCount;
}

/**
 * The template's HTML with its Handlebars tags: what `npm run compile` stored for exactly this
 * source, or else MJML compiled once per template version.
 */
function templateHtml(name: TemplateName): Promise<string> {
  const version = templateVersion(name);
  let html = compiledHtml.get(version);
  if (html === undefined) {
    const stored = storedHtml(name);
    html = stored === null ? compileMjml(name) : Promise.resolve(stored);
    compiledHtml.set(version, html);
    // A failed compile must not poison the cache for the next attempt.
    html.catch(() => compiledHtml.delete(version));
  }
  return html;
}

/**
 * The template's MJML turned into lean HTML, still holding its Handlebars expressions. MJML is
 * imported here only: `npm run compile` stores this HTML next to the compiled code
 * (infra/build/compile-templates.mjs), so the production image neither ships MJML (30 MB with its
 * dependencies) nor spends seconds of every start importing it.
 */
export async function compileMjml(name: TemplateName): Promise<string> {
  compileCount += 1;
  let mjml2html: typeof mjml2htmlFunction;
  try {
    mjml2html = (await import('mjml')).default;
  } catch (error) {
    throw new Error(
      `template ${name} has no compiled HTML matching its source (npm run compile writes it) and MJML is not installed`,
      { cause: error },
    );
  }
  // fonts: {} — MJML otherwise links Google Fonts for any of its known web fonts named in a
  // font-family (Roboto is): a third-party request in every opened mail. The system fonts suffice.
  const result = await mjml2html(templateSource(name), {
    validationLevel: 'strict',
    keepComments: false,
    fonts: {},
  });
  if (result.errors.length > 0) {
    const details = result.errors.map((error) => error.formattedMessage).join('; ');
    throw new Error(`MJML template ${name} is invalid: ${details}`);
  }
  return leanHtml(result.html);
}

/** Where `npm run compile` stores a template's HTML, beside the compiled code only (never in src/). */
export function compiledTemplateFile(name: TemplateName): URL {
  return new URL(`./templates/${name}.compiled.json`, import.meta.url);
}

/** The stored HTML, if it was compiled from exactly this source by this renderer version. */
function storedHtml(name: TemplateName): string | null {
  let stored: { version?: string; html?: string };
  try {
    stored = JSON.parse(readFileSync(compiledTemplateFile(name), 'utf8'));
  } catch {
    return null;
  }
  return stored.version === templateVersion(name) && typeof stored.html === 'string' ? stored.html : null;
}

function compileHandlebars<View>(html: string): Handlebars.TemplateDelegate<View> {
  // strict: a view missing a field the template reads is a bug, so fail instead of printing nothing.
  return handlebars.compile<View>(html, { strict: true });
}

async function compile(name: TemplateName): Promise<Handlebars.TemplateDelegate<unknown>> {
  const fill = compileHandlebars(await templateHtml(name));
  return (view, options) => asciiHtml(fill(view, options));
}

/**
 * The filler for a template, compiled on first use. The promise itself is cached so that many
 * renders starting at once still share one MJML compilation.
 */
export function loadTemplate<View>(name: TemplateName): Promise<Handlebars.TemplateDelegate<View>> {
  const version = templateVersion(name);
  let template = compiled.get(version);
  if (template === undefined) {
    template = compile(name);
    compiled.set(version, template);
    // A failed compile must not poison the cache for the next attempt.
    template.catch(() => compiled.delete(version));
  }
  return template as Promise<Handlebars.TemplateDelegate<View>>;
}

/*
 * The paper loop of digest.mjml as MJML compiles it: each tag alone on its line, which Handlebars
 * drops with the line's newline ("standalone" tags). The loop body is the last `{{/each}}` on a
 * line of its own; the badges' and links' loops inside it sit within lines.
 */
const PAPER_LOOP_START = '\n{{#each papers}}\n';
const PAPER_LOOP_END = '\n{{/each}}\n';

async function compileEdition(): Promise<(view: DigestView) => string> {
  const html = await templateHtml('digest');
  const start = html.indexOf(PAPER_LOOP_START);
  const end = html.lastIndexOf(PAPER_LOOP_END);
  if (start < 0 || end < start || html.indexOf(PAPER_LOOP_START, start + 1) >= 0) {
    throw new Error('digest template: no single paper loop on lines of its own');
  }
  // Exactly what Handlebars makes of the whole template: the text before the loop line, each
  // paper's block (the loop's lines), the text after the closing line.
  const head = compileHandlebars<DigestView>(html.slice(0, start + 1));
  const paperBlock = compileHandlebars<DigestView['papers'][number]>(
    html.slice(start + PAPER_LOOP_START.length, end + 1),
  );
  const tail = compileHandlebars<DigestView>(html.slice(end + PAPER_LOOP_END.length));
  return (view) => {
    let papers = '';
    for (const paper of view.papers) {
      const key = `html\u0000${paper.number}\u0000${paper.matched}`;
      let block = paper.fragments.get(key);
      if (block === undefined) {
        block = asciiHtml(paperBlock(paper));
        paper.fragments.set(key, block);
      }
      papers += block;
    }
    return oneByteString(asciiHtml(head(view)) + papers + asciiHtml(tail(view)));
  };
}

/**
 * The digest's filler for editions: the same HTML as loadTemplate('digest'), but each paper's block
 * is rendered once per paper, place and matched topics (kept with the paper, see paper-parts.ts)
 * and joined, since a day's editions are mixes of the same papers.
 */
export function loadEditionTemplate(): Promise<(view: DigestView) => string> {
  const version = templateVersion('digest');
  let template = editionTemplates.get(version);
  if (template === undefined) {
    template = compileEdition();
    editionTemplates.set(version, template);
    template.catch(() => editionTemplates.delete(version));
  }
  return template;
}
