/** Types shared between retrieval (ingest, index, search) and answering (LLM layer, extractive answers). */

/** One retrieved chunk of a trader's document, with where it came from. */
export interface Passage {
  chunkId: number;
  documentId: number;
  /** Human title of the document (file name without path). */
  document: string;
  /** 1-based page for PDFs; undefined for formats without pages. */
  page?: number;
  /** Heading path for MD/DOCX/HTML, e.g. "Risk > Position sizing". */
  heading?: string;
  /** Fused relevance score, higher is better. */
  score: number;
  text: string;
}

/** What answering needs from retrieval. */
export interface Retriever {
  retrieve(query: string, k: number): Promise<Passage[]>;
}

/** Turns texts into vectors. `id` names the model so an index can tell it was built by another one. */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}
