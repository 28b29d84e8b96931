import { html, SafeHtml } from './html.ts';

// One small stylesheet inline: pages must work without JavaScript and without any other request.
const STYLE = `
:root { color-scheme: light dark; --fg: #1a1a1a; --bg: #fafaf7; --accent: #b4361c; --muted: #5b5b5b; --card: #fff; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececec; --bg: #17181a; --accent: #ff8a65; --muted: #a8a8a8; --card: #222326; } }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 36rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
.brand { font-weight: 700; letter-spacing: .02em; color: var(--accent); text-decoration: none; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.5rem 0 1rem; }
.card { background: var(--card); border-radius: 12px; padding: 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
input, select, textarea { width: 100%; font: inherit; padding: .6rem .7rem; border: 1px solid #9a9a9a; border-radius: 8px; background: var(--bg); color: var(--fg); }
button { font: inherit; font-weight: 600; padding: .7rem 1.2rem; border-radius: 8px; border: 0; background: var(--accent); color: #fff; cursor: pointer; margin-top: 1.25rem; }
button.secondary { background: transparent; color: var(--accent); border: 2px solid var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.muted { color: var(--muted); font-size: .92rem; }
.notice { border-left: 4px solid var(--accent); padding: .5rem 1rem; margin: 1rem 0; }
`;

/** What a public page adds to the shell: search engines may list it, and extra head elements. */
export interface PageOptions {
  /** Public pages (front door, paper pages) may be indexed; personal ones never. */
  indexable?: boolean;
  head?: SafeHtml;
}

/** The shell every person-facing page shares; `extraStyle` is CSS of the page's own. */
export function page(title: string, body: SafeHtml, extraStyle = '', options: PageOptions = {}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.indexable ? null : html`<meta name="robots" content="noindex">`}
<title>${title} · paperboy</title>
<style>${new SafeHtml(STYLE + extraStyle)}</style>
${options.head ?? null}
</head>
<body>
<main>
<a class="brand" href="/">paperboy</a>
${body}
</main>
</body>
</html>`.value;
}
