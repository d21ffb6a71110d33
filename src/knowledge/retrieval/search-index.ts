/**
 * The derived search structures over SQLite's chunks: the hnswlib vector index (saved under `<dataDir>/vectors/`)
 * and an in-memory BM25 index (built lazily on the first query). Both are rebuilt from SQLite whenever they are
 * missing, stale, or were built by another embedding.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { isAdaptive } from '../embedding/local.ts';
import { allChunks, countChunks } from '../store/repository.ts';
import type { KnowledgeDatabase } from '../store/schema.ts';
import type { Embedder } from '../types.ts';
import { Bm25Index } from './bm25.ts';
import { searchTokens } from './text.ts';
import { fileSize, readMeta, VectorIndex, writeMeta, type VectorHit } from './vector-index.ts';

const EMBED_BATCH = 64;

export interface IndexableChunk {
  heading?: string | null;
  text: string;
}

/**
 * The text that gets embedded and BM25-indexed: the heading path is part of what a chunk is about, and the chunk's
 * own (last) heading is repeated so that "Order blocks" outranks a short introduction that merely mentions them.
 */
export function indexText(chunk: IndexableChunk): string {
  if (!chunk.heading) return chunk.text;
  const own = chunk.heading.split(' > ').at(-1);
  return `${chunk.heading}\n${own}\n${chunk.text}`;
}

export type EmbedProgress = (done: number, total: number) => void | Promise<void>;

export class SearchIndex {
  private bm25: Bm25Index | undefined;
  private chunkCount = 0;

  private constructor(
    private readonly db: Kysely<KnowledgeDatabase>,
    readonly embedder: Embedder,
    private vectors: VectorIndex,
    private readonly files: { index: string; meta: string },
  ) {}

  static async open(db: Kysely<KnowledgeDatabase>, embedder: Embedder, dataDir: string, log?: (m: string) => void): Promise<SearchIndex> {
    const dir = path.join(dataDir, 'vectors');
    mkdirSync(dir, { recursive: true });
    const files = { index: path.join(dir, 'knowledge.hnsw'), meta: path.join(dir, 'knowledge.meta.json') };
    const meta = readMeta(files.meta);
    const count = await countChunks(db);
    const fresh =
      meta !== undefined &&
      meta.embeddingId === embedder.id &&
      meta.dimensions === embedder.dimensions &&
      meta.chunkCount === count &&
      fileSize(files.index) > 0;
    if (fresh) {
      try {
        const index = new SearchIndex(db, embedder, VectorIndex.load(files.index, embedder.dimensions), files);
        if (meta.embedderState && isAdaptive(embedder)) embedder.importState(meta.embedderState);
        index.chunkCount = count;
        return index;
      } catch {
        // An unreadable index file is just a stale derivative: fall through and rebuild it from SQLite.
      }
    }
    const index = new SearchIndex(db, embedder, VectorIndex.create(embedder.dimensions, count + 16), files);
    if (count > 0) {
      log?.(`rebuilding the vector index (${count} chunks, embedding ${embedder.id})`);
      await index.rebuild();
    }
    index.save();
    return index;
  }

  get indexBytes(): number {
    return fileSize(this.files.index) + fileSize(this.files.meta);
  }

  /** Re-embeds every chunk in SQLite. */
  async rebuild(): Promise<void> {
    const count = await countChunks(this.db);
    if (isAdaptive(this.embedder)) {
      this.embedder.resetState();
      for await (const page of allChunks(this.db)) this.embedder.observe(page.map(indexText));
    }
    this.vectors = VectorIndex.create(this.embedder.dimensions, count + 16);
    this.chunkCount = 0;
    for await (const page of allChunks(this.db)) {
      const vectors = await this.embedTexts(page.map(indexText));
      this.addVectors(page.map((c) => c.id), vectors);
    }
    this.bm25 = undefined;
  }

  /** Embeds new chunks before they are stored, so a failing embedding endpoint leaves SQLite untouched. */
  async embedChunks(chunks: IndexableChunk[], onProgress?: EmbedProgress): Promise<Float32Array[]> {
    const texts = chunks.map(indexText);
    if (isAdaptive(this.embedder)) this.embedder.observe(texts);
    return this.embedTexts(texts, onProgress);
  }

  /** Adds stored chunks (ids from SQLite) with their vectors, then saves the index. */
  addChunks(ids: number[], vectors: Float32Array[], chunks: IndexableChunk[]): void {
    this.addVectors(ids, vectors);
    if (this.bm25) ids.forEach((id, i) => this.bm25!.add(id, searchTokens(indexText(chunks[i]))));
    this.save();
  }

  removeChunks(ids: number[]): void {
    const removed = new Set(ids);
    this.vectors = this.vectors.without(removed);
    this.chunkCount -= removed.size;
    this.bm25?.remove(removed);
    this.save();
  }

  async searchVectors(text: string, k: number): Promise<VectorHit[]> {
    const [vector] = await this.embedder.embed([text]);
    return this.vectors.search(vector, k);
  }

  async searchBm25(terms: string[], k: number, weights?: Map<string, number>): Promise<Array<{ chunkId: number; score: number }>> {
    return (await this.lexicon()).search(terms, k, weights);
  }

  /** The BM25 index, which also answers "does this chunk contain that term" for coverage. */
  async lexicon(): Promise<Bm25Index> {
    if (!this.bm25) {
      const bm25 = new Bm25Index();
      for await (const page of allChunks(this.db)) for (const chunk of page) bm25.add(chunk.id, searchTokens(indexText(chunk)));
      this.bm25 = bm25;
    }
    return this.bm25;
  }

  private addVectors(ids: number[], vectors: Float32Array[]): void {
    ids.forEach((id, i) => this.vectors.add(id, vectors[i]));
    this.chunkCount += ids.length;
  }

  private async embedTexts(texts: string[], onProgress?: EmbedProgress): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      out.push(...(await this.embedder.embed(texts.slice(i, i + EMBED_BATCH))));
      await onProgress?.(Math.min(texts.length, i + EMBED_BATCH), texts.length);
    }
    return out;
  }

  private save(): void {
    this.vectors.save(this.files.index);
    writeMeta(this.files.meta, {
      embeddingId: this.embedder.id,
      dimensions: this.embedder.dimensions,
      chunkCount: this.chunkCount,
      embedderState: isAdaptive(this.embedder) ? this.embedder.exportState() : undefined,
    });
  }
}
