/**
 * Hybrid retrieval: the query, its same-language synonyms and its translation into the other language (vocabulary
 * query rewriting, glossary.ts) go to the vector index and to BM25 as separate rankings; the rankings are fused by
 * RRF; the fused candidates are re-ranked by how much of the question each one covers (IDF-weighted, a translation
 * counting as the word itself) and carry the absolute signals `isRelevant` needs.
 */
import type { Kysely } from 'kysely';
import type { RetrievedPassage } from '../index.ts';
import { chunksByIds } from '../store/repository.ts';
import type { KnowledgeDatabase } from '../store/schema.ts';
import type { Bm25Index } from './bm25.ts';
import { reciprocalRankFusion, type Ranking } from './fusion.ts';
import { expandQuery, type CoverageUnit, type ExpandedQuery } from './glossary.ts';
import type { SearchIndex } from './search-index.ts';

/** Each ranking contributes this many candidates to the fusion. */
const CANDIDATES = 50;
/** Fused candidates re-scored by query coverage. */
const RERANK_DEPTH = 40;
const COVERAGE_BOOST = 3;

export interface RankedCandidate {
  chunkId: number;
  score: number;
  similarity: number;
}

/** The fused ranking before re-ranking: also what the LangChain retriever and the bench time. */
export async function fusedCandidates(index: SearchIndex, expanded: ExpandedQuery, query: string, depth: number): Promise<RankedCandidate[]> {
  const vectorHits = await index.searchVectors(query, depth);
  const ownTerms = [...expanded.searchTerms, ...expanded.synonyms];
  const rankings: Ranking[] = [
    { ids: vectorHits.map((h) => h.chunkId) },
    { ids: (await index.searchBm25(ownTerms, depth, expanded.weights)).map((h) => h.chunkId) },
  ];
  // The translation ranks on its own: mixed into the query it would be outvoted by the query's own-language words.
  let translatedHits: typeof vectorHits = [];
  if (expanded.added.length > 0) {
    translatedHits = await index.searchVectors(expanded.addedText, depth);
    rankings.push({ ids: translatedHits.map((h) => h.chunkId) });
    rankings.push({ ids: (await index.searchBm25(expanded.added, depth, expanded.weights)).map((h) => h.chunkId) });
  }
  const similarity = new Map<number, number>();
  for (const hit of [...vectorHits, ...translatedHits]) similarity.set(hit.chunkId, Math.max(hit.similarity, similarity.get(hit.chunkId) ?? 0));
  return reciprocalRankFusion(rankings).map(({ id, score }) => ({ chunkId: id, score, similarity: similarity.get(id) ?? 0 }));
}

export async function retrievePassages(
  db: Kysely<KnowledgeDatabase>,
  index: SearchIndex,
  query: string,
  k: number,
): Promise<RetrievedPassage[]> {
  if (k <= 0 || !query.trim()) return [];
  const expanded = expandQuery(query);
  const fused = (await fusedCandidates(index, expanded, query, Math.max(CANDIDATES, k * 3))).slice(0, Math.max(RERANK_DEPTH, k));
  const lexicon = await index.lexicon();
  const weights = unitWeights(expanded, lexicon);
  // How much of the question is about words no document contains in either language ("Bollinger", "two-factor
  // authentication"): when that is most of it, shared everyday words do not make the documents cover it.
  const unknown = unknownShare(expanded, lexicon, weights);
  // Re-ranked from the lexicon alone; only the k passages returned are read from SQLite.
  const ranked = fused
    .map(({ chunkId, score, similarity }) => {
      const covered = coverage(expanded, lexicon.containsFor(chunkId), weights);
      // Coverage counts a translation as the word itself, so it lifts the chunk that answers a cross-language
      // question above own-language chunks that merely share a word or two.
      return { chunkId, similarity, coverage: covered, score: score * (1 + COVERAGE_BOOST * covered) };
    })
    .sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
  const passages: RetrievedPassage[] = [];
  // The indexes follow SQLite, but a chunk could vanish between the search and the read: then the next ones fill in.
  for (let from = 0; passages.length < k && from < ranked.length; ) {
    const batch = ranked.slice(from, from + k - passages.length);
    from += batch.length;
    const rows = new Map((await chunksByIds(db, batch.map((c) => c.chunkId))).map((r) => [r.id, r]));
    for (const candidate of batch) {
      const row = rows.get(candidate.chunkId);
      if (!row) continue;
      passages.push({
        chunkId: row.id,
        documentId: row.document_id,
        document: row.document_name,
        page: row.page ?? undefined,
        heading: row.heading ?? undefined,
        score: candidate.score,
        text: row.text,
        similarity: candidate.similarity,
        coverage: candidate.coverage,
        unknownShare: unknown,
      });
    }
  }
  return passages;
}

/** A unit found only through its translation counts a little less, so that with equal coverage the passage in the
 * question's own language wins; cross-language questions are unaffected (all their passages pay the same). */
const TRANSLATED_COVERAGE = 0.85;

/**
 * How much each unit of the question matters: the IDF of the unit in the corpus, its document frequency taken as
 * that of its most common weighing alternative (its own words or its first translation; a phrase is as common as
 * its rarest word). A unit no document contains in either language ("borscht", "Ichimoku") weighs like one that two
 * chunks contain: enough that a question about something the documents never mention cannot look covered through
 * its everyday words, capped so that one odd word in a real question does not sink it.
 */
export function unitWeights(query: ExpandedQuery, lexicon: Bm25Index): number[] {
  const cap = lexicon.idfOf(1);
  const df = (tokens: string[]): number => Math.max(...tokens.map((t) => lexicon.documentFrequency(t)));
  return query.units.map((unit) => {
    const frequency = Math.max(...unit.weighing.map((words) => Math.min(...words.map(df))));
    return Math.min(lexicon.idfOf(frequency), cap);
  });
}

/** IDF-weighted share of the question's units (words, matched phrases) that the chunk contains. */
export function coverage(query: ExpandedQuery, contains: (term: string) => boolean, weights?: number[]): number {
  let covered = 0;
  let total = 0;
  const seen = new Set<string>();
  query.units.forEach((unit, i) => {
    if (unit.terms.every((t) => seen.has(t))) return;
    for (const t of unit.terms) seen.add(t);
    const weight = weights?.[i] ?? 1;
    total += weight;
    const found = coveringAlternative(unit, contains);
    if (found >= 0) covered += found < unit.own ? weight : weight * TRANSLATED_COVERAGE;
  });
  return total > 0 ? covered / total : 0;
}

function coveringAlternative(unit: CoverageUnit, contains: (term: string) => boolean): number {
  return unit.alternatives.findIndex((words) => words.every((tokens) => tokens.some(contains)));
}

/** Weight share of the question's units that no chunk contains under any of their renderings. */
export function unknownShare(query: ExpandedQuery, lexicon: Bm25Index, weights: number[]): number {
  let unknown = 0;
  let total = 0;
  query.units.forEach((unit, i) => {
    total += weights[i];
    if (unit.alternatives.every((words) => words.some((tokens) => tokens.every((t) => lexicon.documentFrequency(t) === 0)))) unknown += weights[i];
  });
  return total > 0 ? unknown / total : 0;
}
