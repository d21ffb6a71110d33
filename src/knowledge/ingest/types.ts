import type { DocumentFormat } from '../index.ts';

/** A run of text under one heading path (MD/DOCX/HTML) or on one page (PDF); chunks never cross sections. */
export interface Section {
  heading?: string;
  page?: number;
  text: string;
}

export interface ExtractedDocument {
  format: DocumentFormat;
  pages?: number;
  sections: Section[];
}

export type ProgressSink = (done: number, total: number) => void | Promise<void>;
