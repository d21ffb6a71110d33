/**
 * `ita eval rag --langchain`: ITA's own retrieval components against LangChain's on the same corpus and questions,
 * so the choice between them rests on numbers. Measured side by side, query only (no translation), recall@5:
 *  - lexical: ITA's BM25 (Snowball stems + Russian prefixes) vs @langchain/community's BM25Retriever;
 *  - vector: ITA's hnswlib index vs @langchain/community's HNSWLib store, both over ITA's offline embedding;
 *  - chunking: the full pipeline with ITA's chunker vs @langchain/textsplitters' RecursiveCharacterTextSplitter.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { CHUNK_OVERLAP_CHARS, splitSections } from '../chunking-langchain.ts';
import { chunkSections, CHUNK_TARGET_CHARS, type Chunk } from '../chunking.ts';
import { LocalHashEmbedder } from '../embedding/local.ts';
import { detectFormat } from '../ingest/detect.ts';
import { extractDocument } from '../ingest/extract.ts';
import { ItaEmbeddings } from '../langchain/embeddings.ts';
import { Bm25Index } from '../retrieval/bm25.ts';
import { indexText } from '../retrieval/search-index.ts';
import { searchTokens } from '../retrieval/text.ts';
import { VectorIndex } from '../retrieval/vector-index.ts';
import { corpusFiles, DEFAULT_QUESTION_SETS, loadQuestions, matches, PROJECT_CORPUS_DIR, runRagEval, type QuestionSet } from './rag-eval.ts';

const K = 5;

export interface ComponentRow {
  component: string;
  ita: string;
  langchain: string;
  /** Per question set: hits@5 of each, and the number of answerable questions. */
  sets: Array<{ name: string; questions: number; ita: number; langchain: number; itaMs: number; langchainMs: number }>;
  details?: string[];
}

interface StoredChunk extends Chunk {
  document: string;
}

export async function compareWithLangChain(corpusDir: string, extraCorpusDirs = [PROJECT_CORPUS_DIR], questionSets: QuestionSet[] = DEFAULT_QUESTION_SETS): Promise<ComponentRow[]> {
  const chunks: StoredChunk[] = [];
  for (const file of [corpusDir, ...extraCorpusDirs].flatMap(corpusFiles)) {
    const bytes = readFileSync(file);
    const name = path.basename(file);
    try {
      const doc = await extractDocument(name, detectFormat(name, bytes), bytes);
      for (const c of chunkSections(doc.sections)) chunks.push({ ...c, document: name });
    } catch {
      // Unreadable files are reported by the main evaluation.
    }
  }
  const texts = chunks.map(indexText);
  const documents = chunks.map((c, i) => new Document({ pageContent: texts[i], metadata: { i } }));

  const bm25 = new Bm25Index();
  texts.forEach((t, i) => bm25.add(i, searchTokens(t)));
  const lcBm25 = BM25Retriever.fromDocuments(documents, { k: K });

  const embedder = new LocalHashEmbedder();
  embedder.observe(texts);
  const vectors = await embedder.embed(texts);
  const index = VectorIndex.create(embedder.dimensions, texts.length + 16);
  vectors.forEach((v, i) => index.add(i, v));
  const store = new HNSWLib(new ItaEmbeddings(embedder), { space: 'cosine', numDimensions: embedder.dimensions });
  await store.addVectors(vectors.map((v) => Array.from(v)), documents);

  const lexical: ComponentRow = { component: 'lexical ranking', ita: 'Bm25Index (stems + prefixes)', langchain: '@langchain/community BM25Retriever', sets: [] };
  const vector: ComponentRow = { component: 'vector ranking', ita: 'VectorIndex (hnswlib-node)', langchain: '@langchain/community HNSWLib', sets: [] };
  for (const set of questionSets) {
    const answerable = loadQuestions(set.file).filter((q) => q.expect);
    const row = () => ({ name: set.name, questions: answerable.length, ita: 0, langchain: 0, itaMs: 0, langchainMs: 0 });
    const lex = row();
    const vec = row();
    for (const q of answerable) {
      const hit = (ids: number[]) => ids.slice(0, K).some((i) => matches({ document: chunks[i].document, heading: chunks[i].heading, text: chunks[i].text }, q.expect!));
      let t = performance.now();
      lex.ita += Number(hit(bm25.search(searchTokens(q.question), K).map((h) => h.chunkId)));
      lex.itaMs += performance.now() - t;
      t = performance.now();
      lex.langchain += Number(hit((await lcBm25.invoke(q.question)).map((d) => d.metadata.i as number)));
      lex.langchainMs += performance.now() - t;
      const [queryVector] = await embedder.embed([q.question]);
      t = performance.now();
      vec.ita += Number(hit(index.search(queryVector, K).map((h) => h.chunkId)));
      vec.itaMs += performance.now() - t;
      t = performance.now();
      vec.langchain += Number(hit((await store.similaritySearchVectorWithScore(Array.from(queryVector), K)).map(([d]) => d.metadata.i as number)));
      vec.langchainMs += performance.now() - t;
    }
    lexical.sets.push(lex);
    vector.sets.push(vec);
  }

  const ours = await runRagEval({ corpusDir, extraCorpusDirs, questionSets });
  const theirs = await runRagEval({ corpusDir, extraCorpusDirs, questionSets, chunker: splitSections });
  const chunking: ComponentRow = {
    component: 'chunking (full pipeline)',
    ita: `chunkSections (${ours.chunks} chunks)`,
    langchain: `RecursiveCharacterTextSplitter ${CHUNK_TARGET_CHARS}/${CHUNK_OVERLAP_CHARS} (${theirs.chunks} chunks)`,
    sets: ours.sets.map((s, i) => ({ name: s.name, questions: s.answerable.questions, ita: s.answerable.hitsAt5, langchain: theirs.sets[i].answerable.hitsAt5, itaMs: 0, langchainMs: 0 })),
    details: ours.sets.map((s, i) => {
      const t = theirs.sets[i];
      return `${s.name}: recall@1 ${s.answerable.hitsAt1} vs ${t.answerable.hitsAt1}, MRR ${s.answerable.mrr.toFixed(3)} vs ${t.answerable.mrr.toFixed(3)}, out-of-scope recognised ${s.unanswerable.rejected}/${s.unanswerable.questions} vs ${t.unanswerable.rejected}/${t.unanswerable.questions}, false "not covered" ${s.falseRejections} vs ${t.falseRejections}`;
    }),
  };
  return [lexical, vector, chunking];
}

export function formatComparison(rows: ComponentRow[]): string {
  let out = '\nITA components vs LangChain components (recall@5, query without translation for the rankings)\n';
  for (const row of rows) {
    out += `  ${row.component}: ITA ${row.ita} vs ${row.langchain}\n`;
    for (const s of row.sets) {
      const ms = s.itaMs || s.langchainMs ? `   query time ${(s.itaMs / s.questions).toFixed(2)} ms vs ${(s.langchainMs / s.questions).toFixed(2)} ms` : '';
      out += `    ${s.name.padEnd(9)} ITA ${s.ita}/${s.questions}   LangChain ${s.langchain}/${s.questions}${ms}\n`;
    }
    for (const d of row.details ?? []) out += `    ${d}\n`;
  }
  return out;
}
