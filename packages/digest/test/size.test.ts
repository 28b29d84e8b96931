import { describe, expect, it } from 'vitest';
import { personalise, renderEdition } from '../src/index.ts';
import { branding, largestEdition, longPersonalLinks } from './fixtures.ts';

/** Gmail clips at ~102 KB and hides the footer with the unsubscribe link; keep a margin. */
const BUDGET_BYTES = 90 * 1024;

async function htmlBytes(paperCount: number): Promise<number> {
  const mail = personalise(await renderEdition(largestEdition(paperCount), branding), longPersonalLinks);
  return Buffer.byteLength(mail.html, 'utf8');
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
const largest = await htmlBytes(25);
const tenPapers = await htmlBytes(10);
console.log(`digest HTML size: 10 papers ${kb(tenPapers)} KB, 25 papers ${kb(largest)} KB`);

describe('digest size', () => {
  it(`keeps the largest digest (25 long papers, long links) under 90 KB: ${kb(largest)} KB`, () => {
    expect(largest).toBeLessThan(BUDGET_BYTES);
  });

  it(`leaves a wide margin for a 10-paper digest: ${kb(tenPapers)} KB`, () => {
    expect(tenPapers).toBeLessThan(BUDGET_BYTES / 2);
  });
});
