export type { Branding, DigestPaper, EditionInput, PersonalLinks, RenderedMail } from './types.ts';
