import type { DigestView, PaperView } from './digest-view.ts';
import { footerText } from './footer.ts';
import { wrapText } from './wrap.ts';

const WIDTH = 72;

function paperText(paper: PaperView, indent: string): string[] {
  const labelWidth = Math.max(...paper.links.map((link) => link.label.length)) + 2;
  return [
    ...wrapText(paper.title, WIDTH, indent, `${paper.number}.`.padEnd(indent.length)),
    ...(paper.authors ? wrapText(paper.authors, WIDTH, indent) : []),
    ...(paper.badges.length > 0 ? wrapText(paper.badges.join(' · '), WIDTH, indent) : []),
    ...(paper.summary ? ['', ...wrapText(paper.summary, WIDTH, indent)] : []),
    ...(paper.links.length > 0 ? [''] : []),
    ...paper.links.map((link) => `${indent}${`${link.label}:`.padEnd(labelWidth)}${link.url}`),
    ...(paper.matched ? wrapText(paper.matched, WIDTH, indent) : []),
    `${indent}More like this: ${paper.moreUrl}`,
    `${indent}Less like this: ${paper.lessUrl}`,
  ];
}

/** A paper's lines and the blank line after it, trimmed and joined, made once per paper and place. */
function paperChunk(paper: PaperView, indent: string): string {
  const key = `text\u0000${indent}\u0000${paper.number}\u0000${paper.matched}`;
  let chunk = paper.fragments.get(key);
  if (chunk === undefined) {
    chunk = joinLines([...paperText(paper, indent), '']);
    paper.fragments.set(key, chunk);
  }
  return chunk;
}

function joinLines(lines: string[]): string {
  return lines.map((line) => line.trimEnd()).join('\n');
}

/** The plain-text part: laid out for reading, with the same words as the HTML part. */
export function digestText(view: DigestView): string {
  const heading = `paperboy · ${view.countLabel} · ${view.dateLabel}`;
  // Room for the widest "25. " so every paper's text lines up in one column.
  const indent = ' '.repeat(String(view.papers.length).length + 2);
  // Joined a group at a time (each paper's chunk is cached), exactly as one join of all lines.
  const groups = [
    joinLines([heading, '='.repeat(Math.min(heading.length, WIDTH)), '']),
    ...view.papers.map((paper) => paperChunk(paper, indent)),
  ];
  const footer = footerText(view.footer);
  if (footer.length > 0) groups.push(joinLines(footer));
  return `${groups.join('\n')}\n`;
}
