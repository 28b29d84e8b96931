import { digestText } from './digest-text.ts';
import { digestView } from './digest-view.ts';
import { loadEditionTemplate } from './template-cache.ts';
import type { Branding, EditionInput, RenderedMail } from './types.ts';

/**
 * Renders one edition, shared by every reader with the same input: the personal links are
 * placeholders, filled per reader by personalise() at send time.
 */
export async function renderEdition(input: EditionInput, branding: Branding): Promise<RenderedMail> {
  const view = digestView(input, branding);
  const fill = await loadEditionTemplate();
  return { subject: view.subject, html: fill(view), text: digestText(view) };
}
