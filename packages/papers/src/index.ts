export type { Paper, PaperLinks, PaperSource, ParsedBatch, SkippedRecord } from './paper.ts';
