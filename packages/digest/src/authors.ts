import { cleanText } from './clean-text.ts';

/** Surname particles that stay with the family name: "J. van der Waals", not "J. v. d. Waals". */
const PARTICLES = new Set('van von der den de del della di da du dos la le bin al'.split(' '));
const SUFFIXES = /^(jr\.?|sr\.?|ii|iii|iv)$/i;
/** Collective authors ("Qwen Team", "DeepSeek-AI") are names, not people to abbreviate. */
const COLLECTIVE = /\b(team|lab|labs|group|consortium|collaboration|project|ai|inc\.?|ltd\.?)\b|\d/i;

/**
 * "Ashish Vaswani" -> "A. Vaswani", "Jean-Baptiste Alayrac" -> "J.-B. Alayrac",
 * "Vaswani, Ashish" -> "A. Vaswani". Single names and collectives stay as they are.
 */
export function shortenName(rawName: string): string {
  const name = cleanText(rawName);
  if (COLLECTIVE.test(name)) return name;
  const commaAt = name.indexOf(',');
  const ordered = commaAt > 0 ? `${name.slice(commaAt + 1)} ${name.slice(0, commaAt)}`.trim() : name;
  const words = ordered.split(' ').filter((word) => word.length > 0);
  if (words.length < 2) return ordered;

  let surnameStart = words.length - 1;
  if (surnameStart > 1 && SUFFIXES.test(words[surnameStart] ?? '')) surnameStart -= 1;
  const particleAt = words.findIndex((word, index) => index > 0 && PARTICLES.has(word));
  if (particleAt > 0 && particleAt < surnameStart) surnameStart = particleAt;

  const initials = words.slice(0, surnameStart).map(initialsOf);
  return [...initials, ...words.slice(surnameStart)].join(' ');
}

function initialsOf(givenName: string): string {
  return givenName
    .split('-')
    .filter((part) => part.length > 0)
    .map((part) => `${Array.from(part)[0]}.`)
    .join('-');
}

/**
 * "A. Vaswani, N. Shazeer, N. Parmar, … +5". Shows everyone when only one more name would be
 * hidden, because "+1" takes as much room as the name itself.
 */
export function shortenAuthors(authors: readonly string[], shown = 3): string {
  const names = authors.map(shortenName).filter((name) => name.length > 0);
  if (names.length <= shown + 1) return names.join(', ');
  // A no-break space keeps "… +11" together when the line wraps.
  return `${names.slice(0, shown).join(', ')}, …\u00a0+${names.length - shown}`;
}
