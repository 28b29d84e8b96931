/**
 * Shrinks MJML's indented output without a minifier (MJML's own `minify` needs cssnano, which is
 * not installed). Runs once per template compile, never per reader.
 *
 * Dropping indentation is safe because the mails contain no <pre> or <textarea>, and every removed
 * run of whitespace still leaves a newline, so words never join.
 */
export function leanHtml(html: string): string {
  return html
    .replace(/\n[ \t]+/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .replace(/ style="([^"]*)"/g, (_match, style: string) => ` style="${leanStyle(style)}"`)
    .trim();
}

function leanStyle(style: string): string {
  return style
    .replace(/\s*([:;])\s*/g, '$1')
    .replace(/;$/, '')
    .trim();
}
