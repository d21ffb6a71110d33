/**
 * Adapts the knowledge base and the answering layer to the bot's `knowledge` service: ingest with progress,
 * list, forget, and questions answered as Telegram HTML (cited; extractive when no LLM is configured).
 */
import type { BotServices, Language } from '../bot/services.ts';
import type { KnowledgeBase, RetrievedPassage } from '../knowledge/index.ts';
import type { Passage } from '../knowledge/types.ts';
import { answerQuestion, formatAnswerHtml } from '../knowledge/answer/index.ts';
import type { LlmRouter } from '../knowledge/llm/index.ts';
import type { Config } from '../config.ts';

type KnowledgeService = NonNullable<BotServices['knowledge']> & Required<Pick<NonNullable<BotServices['knowledge']>, 'answer'>>;

export function createKnowledgeService(kb: KnowledgeBase, llm: LlmRouter | null, config: Config): KnowledgeService {
  const service: KnowledgeService = {
    async ingest(name, bytes, onProgress) {
      const result = await kb.ingestBuffer(name, bytes, { onProgress: (p) => onProgress({ stage: p.stage, done: p.done, total: p.total }) });
      const d = result.document;
      return { document: { id: d.id, name: d.name, pages: d.pages, chunks: d.chunkCount, addedAt: d.createdAt }, duplicate: result.duplicate };
    },
    async list() {
      const documents = await kb.listDocuments();
      return documents.map((d) => ({ id: d.id, name: d.name, pages: d.pages, chunks: d.chunkCount, addedAt: d.createdAt }));
    },
    remove: (id) => kb.removeDocument(id),
    async ask(question: string, language: Language) {
      return (await service.answer(question, language)).html;
    },
    async answer(question: string, _language: Language) {
      // The answer follows the question's own language; the user's setting only matters for bot chrome.
      const result = await answerQuestion(question, {
        retriever: kb,
        llm,
        llmMode: config.llm.mode,
        relevance: (_q: string, passages: Passage[]) => (kb.isRelevant(passages as RetrievedPassage[]) ? passages : []),
      });
      const passages = result.mode === 'not-covered' ? [] : result.passages.map((p) => ({ chunkId: p.chunkId, documentId: p.documentId, document: p.document, page: p.page, heading: p.heading, text: p.text }));
      return { html: formatAnswerHtml(result), passages };
    },
  };
  return service;
}
