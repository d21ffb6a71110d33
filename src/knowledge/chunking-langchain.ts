/**
 * Chunking with LangChain's RecursiveCharacterTextSplitter (@langchain/textsplitters), within ITA's sections (a chunk
 * never crosses a heading or a page) and after dropping tables of contents and navigation. An alternative to
 * `chunkSections` (pass it as `chunker` when opening the knowledge base); `ita eval rag --langchain` measures both.
 * ITA's sentence packer stays the default: it ranked better (recall@1, MRR, out-of-scope) on the tuning set.
 */
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { CHUNK_TARGET_CHARS, type Chunk } from './chunking.ts';
import { stripNavigation } from './ingest/navigation.ts';
import type { Section } from './ingest/types.ts';

export const CHUNK_OVERLAP_CHARS = 150;

const splitter = new RecursiveCharacterTextSplitter({ chunkSize: CHUNK_TARGET_CHARS, chunkOverlap: CHUNK_OVERLAP_CHARS });

export async function splitSections(sections: Section[]): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for (const section of sections) {
    for (const raw of await splitter.splitText(stripNavigation(section.text))) {
      const text = raw.trim();
      if (/[\p{L}\p{N}]/u.test(text)) chunks.push({ ordinal: chunks.length, page: section.page, heading: section.heading, text });
    }
  }
  return chunks;
}
