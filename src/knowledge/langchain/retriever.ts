/**
 * The knowledge base as LangChain retrievers. `KnowledgeBaseRetriever` is the whole hybrid pipeline (vector + BM25
 * + translated query, RRF, coverage re-ranking) behind `BaseRetriever`, so it drops into any LangChain chain;
 * `MultiQueryKnowledgeRetriever` adds, when a chat model is configured, the question rewritten by the model in the
 * other language (and as a paraphrase), retrieves for each and fuses the rankings.
 */
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { RetrievedPassage } from '../index.ts';
import type { Passage } from '../types.ts';

export interface PassageSource {
  retrieve(query: string, k: number): Promise<RetrievedPassage[]>;
}

export interface PassageMetadata {
  chunkId: number;
  documentId: number;
  document: string;
  page?: number;
  heading?: string;
  score: number;
  similarity: number;
  coverage: number;
}

export function passageToDocument(p: RetrievedPassage): Document<PassageMetadata> {
  return new Document({
    pageContent: p.text,
    id: String(p.chunkId),
    metadata: {
      chunkId: p.chunkId,
      documentId: p.documentId,
      document: p.document,
      page: p.page,
      heading: p.heading,
      score: p.score,
      similarity: p.similarity,
      coverage: p.coverage,
    },
  });
}

export function documentToPassage(d: Document<PassageMetadata>): RetrievedPassage & Passage {
  const m = d.metadata;
  return { chunkId: m.chunkId, documentId: m.documentId, document: m.document, page: m.page, heading: m.heading, score: m.score, similarity: m.similarity, coverage: m.coverage, text: d.pageContent };
}

export interface KnowledgeBaseRetrieverInput extends BaseRetrieverInput {
  source: PassageSource;
  k?: number;
}

export class KnowledgeBaseRetriever extends BaseRetriever<PassageMetadata> {
  override lc_namespace = ['ita', 'knowledge'];
  private readonly source: PassageSource;
  readonly k: number;

  static override lc_name(): string {
    return 'KnowledgeBaseRetriever';
  }

  constructor(fields: KnowledgeBaseRetrieverInput) {
    super(fields);
    this.source = fields.source;
    this.k = fields.k ?? 5;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<PassageMetadata>[]> {
    return (await this.source.retrieve(query, this.k)).map(passageToDocument);
  }
}
