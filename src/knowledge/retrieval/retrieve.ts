/**
 * Hybrid retrieval: the query (plus its RU/EN glossary translations) goes to the vector index and to BM25; the two
 * rankings are fused by RRF; each passage carries the absolute signals `isRelevant` needs.
 */
import type { Kysely } from 'kysely';
import type { RetrievedPassage } from '../index.ts';
import { chunksByIds } from '../store/repository.ts';
import type { KnowledgeDatabase } from '../store/schema.ts';
import { reciprocalRankFusion, type Ranking } from './fusion.ts';
import { expandQuery, type ExpandedQuery } from './glossary.ts';
import type { SearchIndex } from './search-index.ts';

/** Each ranking contributes this many candidates to the fusion. */
const CANDIDATES = 50;
/** Fused candidates re-scored by query coverage. */
const RERANK_DEPTH = 30;
const COVERAGE_BOOST = 2;
const TRANSLATION_WEIGHT = 1;

export async function retrievePassages(
  db: Kysely<KnowledgeDatabase>,
  index: SearchIndex,
  query: string,
  k: number,
): Promise<RetrievedPassage[]> {
  if (k <= 0 || !query.trim()) return [];
  const expanded = expandQuery(query);
  const depth = Math.max(CANDIDATES, k * 3);
  const vectorHits = await index.searchVectors(query, depth);
  const rankings: Ranking[] = [
    { ids: vectorHits.map((h) => h.chunkId) },
    { ids: (await index.searchBm25(expanded.searchTerms, depth)).map((h) => h.chunkId) },
  ];
  // Translations rank on their own: mixed into the query they would be outvoted by its own-language words.
  // Equal weight measured best on `ita eval rag`; coverage re-scoring below keeps own-language answers on top.
  let translatedHits: typeof vectorHits = [];
  if (expanded.added.length > 0) {
    translatedHits = await index.searchVectors(expanded.addedText, depth);
    rankings.push({ ids: translatedHits.map((h) => h.chunkId), weight: TRANSLATION_WEIGHT });
    rankings.push({ ids: (await index.searchBm25(expanded.added, depth)).map((h) => h.chunkId), weight: TRANSLATION_WEIGHT });
  }
  const fused = reciprocalRankFusion(rankings).slice(0, Math.max(RERANK_DEPTH, k));

  const similarity = new Map<number, number>();
  for (const hit of [...vectorHits, ...translatedHits]) similarity.set(hit.chunkId, Math.max(hit.similarity, similarity.get(hit.chunkId) ?? 0));
  const rows = new Map((await chunksByIds(db, fused.map((f) => f.id))).map((r) => [r.id, r]));
  const lexicon = await index.lexicon();
  const passages: RetrievedPassage[] = [];
  for (const { id, score } of fused) {
    const row = rows.get(id);
    if (!row) continue;
    const covered = coverage(expanded, (term) => lexicon.has(id, term));
    passages.push({
      chunkId: row.id,
      documentId: row.document_id,
      document: row.document_name,
      page: row.page ?? undefined,
      heading: row.heading ?? undefined,
      // Coverage counts a glossary translation as the word itself, so it lifts the chunk that answers a
      // cross-language question above own-language chunks that merely share a word or two.
      score: score * (1 + COVERAGE_BOOST * covered),
      text: row.text,
      similarity: similarity.get(id) ?? 0,
      coverage: covered,
    });
  }
  passages.sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
  passages.length = Math.min(passages.length, k);
  return passages;
}

/** Share of the query's distinct content words found in the chunk, a translation counting as the word itself. */
export function coverage(query: ExpandedQuery, contains: (term: string) => boolean): number {
  if (query.equivalents.size === 0) return 0;
  let covered = 0;
  for (const equivalents of query.equivalents.values()) {
    for (const stem of equivalents) {
      if (contains(stem)) {
        covered++;
        break;
      }
    }
  }
  return covered / query.equivalents.size;
}
