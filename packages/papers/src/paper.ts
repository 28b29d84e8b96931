/** Where a paper record came from. A paper seen by several sources lists each once. */
export type PaperSource = 'huggingface' | 'arxiv' | 'sample' | 'jsonl';

export interface PaperLinks {
  abstract?: string;
  pdf?: string;
  huggingFace?: string;
  code?: string;
  projectPage?: string;
}

/**
 * The one normalised shape every source adapter produces and the store keeps.
 * `id` is the bare arXiv id (no version) where there is one, so Hugging Face and arXiv records of
 * the same paper meet in one row; otherwise a stable id derived from the normalised title.
 */
export interface Paper {
  id: string;
  arxivId: string | null;
  title: string;
  abstract: string;
  authors: string[];
  links: PaperLinks;
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  aiSummary: string | null;
  aiKeywords: string[];
  categories: string[];
  /** ISO timestamp of first publication, when the source says. */
  publishedAt: string | null;
  /** YYYY-MM-DD (UTC) of the day the paper was listed as trending, when known. */
  trendingDate: string | null;
  withdrawn: boolean;
  sources: PaperSource[];
  /** The record as the source sent it, kept for later re-processing. */
  raw: unknown;
}

/** What a reader is shown of a paper: the digest and the per-reader selection share this shape. */
export type PaperCard = Pick<
  Paper,
  'id' | 'title' | 'authors' | 'abstract' | 'aiSummary' | 'links' | 'upvotes' | 'comments' | 'githubStars'
>;

/** A record an adapter could not use: reported, never fatal to the rest of the batch. */
export interface SkippedRecord {
  /** Position in the batch (line number for JSONL, array index for JSON, entry index for Atom). */
  position: number;
  reason: string;
}

export interface ParsedBatch {
  papers: Paper[];
  skipped: SkippedRecord[];
}
