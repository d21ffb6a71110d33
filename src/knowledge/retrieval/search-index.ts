/**
 * The derived search structures over SQLite's chunks: the hnswlib vector index and BM25, both kept in memory,
 * updated per document, and saved together now and then as one snapshot generation under `<dataDir>/vectors/`:
 * knowledge.<generation>.hnsw, knowledge.<generation>.bm25 and knowledge.meta.json (written last: the commit point).
 * Between snapshots every change sits in SQLite's index log (store/index-log.ts), committed with the chunks, and is
 * replayed on open; so an add costs no index write and a crash loses nothing. Anything missing, unreadable, built by
 * another embedding or not matching SQLite's chunk count is rebuilt from SQLite.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { isAdaptive } from '../embedding/local.ts';
import { lastLogSeq, loggedChanges, readIndexState, truncateLog, writeIndexState } from '../store/index-log.ts';
import { allChunks, chunksByIds, countChunks } from '../store/repository.ts';
import type { KnowledgeDatabase } from '../store/schema.ts';
import type { Embedder } from '../types.ts';
import { Bm25Index } from './bm25.ts';
import { readBm25Snapshot, writeBm25Snapshot } from './bm25-snapshot.ts';
import { searchTokens } from './text.ts';
import { fileSize, readMeta, syncFile, VectorIndex, writeMeta, type VectorHit, type VectorIndexMeta } from './vector-index.ts';

const EMBED_BATCH = 64;
/**
 * Logged changes after which a snapshot is written in the background. Replaying one change on open costs about a
 * millisecond at 100k chunks (an hnswlib insert), so this bounds the restart cost; a snapshot at 100k costs ~0.5 s.
 */
export const CHECKPOINT_AFTER = 256;
const META_FILE = 'knowledge.meta.json';

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

function generationFiles(dir: string, generation: number | undefined): { hnsw: string; bm25: string } {
  // Generation-less meta is the first on-disk format: one knowledge.hnsw and BM25 rebuilt on every start.
  if (generation === undefined) return { hnsw: path.join(dir, 'knowledge.hnsw'), bm25: path.join(dir, 'knowledge.bm25') };
  return { hnsw: path.join(dir, `knowledge.${generation}.hnsw`), bm25: path.join(dir, `knowledge.${generation}.bm25`) };
}

export class SearchIndex {
  private vectors: VectorIndex;
  private bm25 = new Bm25Index();
  private generation = 0;
  /** Last index-log row reflected in memory. */
  private appliedSeq = 0;
  /** Logged changes in memory but not yet in the saved snapshot. */
  private pending = 0;
  /** An in-memory update failed after its SQLite commit: keep the log (replayed on the next open), never checkpoint. */
  private diverged = false;

  private constructor(
    private readonly db: Kysely<KnowledgeDatabase>,
    readonly embedder: Embedder,
    private readonly dir: string,
  ) {
    this.vectors = VectorIndex.create(embedder.dimensions);
  }

  static async open(db: Kysely<KnowledgeDatabase>, embedder: Embedder, dataDir: string, log?: (m: string) => void): Promise<SearchIndex> {
    const dir = path.join(dataDir, 'vectors');
    mkdirSync(dir, { recursive: true });
    const index = new SearchIndex(db, embedder, dir);
    const meta = readMeta(path.join(dir, META_FILE));
    const count = await countChunks(db);
    if (meta && meta.embeddingId === embedder.id && meta.dimensions === embedder.dimensions && (await index.load(meta, count))) {
      // A long replayed log, or the first on-disk format, is saved soon, in the background (needsCheckpoint).
      if (meta.generation === undefined) index.pending = Math.max(index.pending, CHECKPOINT_AFTER);
      return index;
    }
    if (count > 0) log?.(`rebuilding the search indexes (${count} chunks, embedding ${embedder.id})`);
    // Numbering goes on past the unusable generation, so its files are told apart from the new ones and removed.
    index.generation = Math.max(index.generation, meta?.generation ?? 0);
    await index.rebuild();
    await index.checkpoint();
    return index;
  }

  get indexBytes(): number {
    const files = generationFiles(this.dir, this.generation);
    return fileSize(files.hnsw) + fileSize(files.bm25) + fileSize(path.join(this.dir, META_FILE));
  }

  /** Whether enough changes piled up since the last snapshot that one should be written. */
  get needsCheckpoint(): boolean {
    return this.pending >= CHECKPOINT_AFTER && !this.diverged;
  }

  /** Whether anything in memory is missing from the saved snapshot (then `close` writes one). */
  get hasPending(): boolean {
    return this.pending > 0 && !this.diverged;
  }

  /** Embeds new chunks before they are stored, so a failing embedding endpoint leaves SQLite untouched. */
  async embedChunks(chunks: IndexableChunk[], onProgress?: EmbedProgress): Promise<Float32Array[]> {
    const texts = chunks.map(indexText);
    if (isAdaptive(this.embedder)) this.embedder.observe(texts);
    return this.embedTexts(texts, onProgress);
  }

  /** The embedder's learned state, to be committed with the chunks it was updated for. */
  stateEntry(): { key: string; value: string } | undefined {
    return isAdaptive(this.embedder) ? { key: this.stateKey, value: JSON.stringify(this.embedder.exportState()) } : undefined;
  }

  /** Applies chunks already committed to SQLite (and to the index log up to `logSeq`). */
  addChunks(ids: number[], vectors: Float32Array[], chunks: IndexableChunk[], logSeq: number): void {
    this.applying(logSeq, ids.length, () => {
      ids.forEach((id, i) => {
        this.vectors.add(id, vectors[i]);
        this.bm25.add(id, searchTokens(indexText(chunks[i])));
      });
    });
  }

  /** Applies a removal already committed to SQLite: points marked deleted, BM25 statistics without them. */
  removeChunks(ids: number[], logSeq: number): void {
    this.applying(logSeq, ids.length, () => {
      for (const id of ids) this.vectors.remove(id);
      this.bm25.remove(ids);
    });
  }

  async searchVectors(text: string, k: number): Promise<VectorHit[]> {
    const [vector] = await this.embedder.embed([text]);
    return this.vectors.search(vector, k);
  }

  async searchBm25(terms: string[], k: number, weights?: Map<string, number>): Promise<Array<{ chunkId: number; score: number }>> {
    return this.bm25.search(terms, k, weights);
  }

  /** The BM25 index, which also answers "does this chunk contain that term" for coverage. */
  async lexicon(): Promise<Bm25Index> {
    return this.bm25;
  }

  /**
   * Saves both indexes as the next generation, then the meta file naming it, then drops the log rows it contains
   * and the previous generation's files. Callers must not add or remove meanwhile (queries are fine).
   */
  async checkpoint(): Promise<void> {
    if (this.diverged) return;
    const generation = this.generation + 1;
    const files = generationFiles(this.dir, generation);
    const seq = this.appliedSeq;
    await this.vectors.save(files.hnsw);
    const snapshot = this.bm25.snapshot();
    writeBm25Snapshot(files.bm25, snapshot, generation);
    const meta: VectorIndexMeta = {
      embeddingId: this.embedder.id,
      dimensions: this.embedder.dimensions,
      chunkCount: this.vectors.count,
      generation,
      checkpoint: seq,
      embedderState: isAdaptive(this.embedder) ? this.embedder.exportState() : undefined,
    };
    writeMeta(path.join(this.dir, META_FILE), meta);
    syncFile(this.dir);
    this.generation = generation;
    this.pending = 0;
    // The compacted snapshot drops removed chunks' postings from memory too.
    this.bm25 = Bm25Index.fromSnapshot(snapshot);
    this.removeStaleFiles();
    await truncateLog(this.db, seq);
  }

  private get stateKey(): string {
    return `embedder-state:${this.embedder.id}`;
  }

  private applying(logSeq: number, changes: number, apply: () => void): void {
    try {
      apply();
    } catch (error) {
      this.diverged = true;
      throw error;
    }
    this.appliedSeq = Math.max(this.appliedSeq, logSeq);
    this.pending += changes;
  }

  /** Loads the saved generation and replays the log after it; false when the caller must rebuild from SQLite. */
  private async load(meta: VectorIndexMeta, count: number): Promise<boolean> {
    const files = generationFiles(this.dir, meta.generation);
    try {
      // hnswlib reads on the thread pool while BM25's snapshot is mapped here.
      const vectors = VectorIndex.load(files.hnsw, this.embedder.dimensions, meta.chunkCount);
      let bm25: Bm25Index | undefined;
      try {
        const saved = meta.generation === undefined ? undefined : readBm25Snapshot(files.bm25);
        if (saved && saved.generation === meta.generation) bm25 = Bm25Index.fromSnapshot(saved.snapshot);
      } catch {
        // A missing or damaged BM25 file is rebuilt below from SQLite's text.
      }
      this.vectors = await vectors;
      if (bm25) this.bm25 = bm25;
      if (isAdaptive(this.embedder)) {
        const stored = await readIndexState(this.db, this.stateKey);
        const state = stored ? JSON.parse(stored) : meta.embedderState;
        if (state) this.embedder.importState(state);
      }
      this.generation = meta.generation ?? 0;
      this.appliedSeq = meta.checkpoint ?? 0;
      if (!(await this.replay(bm25 !== undefined))) return false;
      if (this.vectors.count !== count) return false;
      if (!bm25 || this.bm25.size !== count) {
        this.bm25 = await this.bm25FromSqlite();
        this.pending = Math.max(this.pending, CHECKPOINT_AFTER);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Re-applies logged changes after the checkpoint, in order; false on a log the snapshot cannot follow. */
  private async replay(withBm25: boolean): Promise<boolean> {
    const added: number[] = [];
    const removed: number[] = [];
    for await (const page of loggedChanges(this.db, this.appliedSeq)) {
      for (const change of page) {
        if (change.op === 'add') {
          if (!change.vector || change.vector.length !== this.embedder.dimensions) return false;
          if (!this.vectors.has(change.chunkId)) this.vectors.add(change.chunkId, change.vector);
          added.push(change.chunkId);
        } else {
          this.vectors.remove(change.chunkId);
          removed.push(change.chunkId);
        }
        this.appliedSeq = change.seq;
        this.pending++;
      }
    }
    if (withBm25) {
      // A chunk removed later is gone from SQLite, so only surviving ones are re-tokenized; ids are never reused.
      for (let i = 0; i < added.length; i += 500) {
        for (const chunk of await chunksByIds(this.db, added.slice(i, i + 500))) this.bm25.add(chunk.id, searchTokens(indexText(chunk)));
      }
      this.bm25.remove(removed);
    }
    return true;
  }

  /** Re-embeds and re-tokenizes every chunk in SQLite. Runs before the service accepts writes. */
  private async rebuild(): Promise<void> {
    const count = await countChunks(this.db);
    const seq = await lastLogSeq(this.db);
    if (isAdaptive(this.embedder)) {
      this.embedder.resetState();
      for await (const page of allChunks(this.db)) this.embedder.observe(page.map(indexText));
      await writeIndexState(this.db, this.stateKey, JSON.stringify(this.embedder.exportState()));
    }
    this.vectors = VectorIndex.create(this.embedder.dimensions, count + 16);
    this.bm25 = new Bm25Index();
    for await (const page of allChunks(this.db)) {
      const vectors = await this.embedTexts(page.map(indexText));
      page.forEach((chunk, i) => {
        this.vectors.add(chunk.id, vectors[i]);
        this.bm25.add(chunk.id, searchTokens(indexText(chunk)));
      });
    }
    this.appliedSeq = seq;
    this.pending = 1;
  }

  private async bm25FromSqlite(): Promise<Bm25Index> {
    const bm25 = new Bm25Index();
    for await (const page of allChunks(this.db)) for (const chunk of page) bm25.add(chunk.id, searchTokens(indexText(chunk)));
    return bm25;
  }

  private async embedTexts(texts: string[], onProgress?: EmbedProgress): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += EMBED_BATCH) {
      out.push(...(await this.embedder.embed(texts.slice(i, i + EMBED_BATCH))));
      await onProgress?.(Math.min(texts.length, i + EMBED_BATCH), texts.length);
    }
    return out;
  }

  /** Earlier generations, the first format's files and temp files a crash left behind. */
  private removeStaleFiles(): void {
    const current = generationFiles(this.dir, this.generation);
    for (const name of readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      if (name === META_FILE || file === current.hnsw || file === current.bm25) continue;
      if (/^knowledge\.(\d+\.)?(hnsw|bm25)(\.tmp-\d+)?$/.test(name) || /^knowledge\.meta\.json\.tmp-\d+$/.test(name)) rmSync(file, { force: true });
    }
  }
}
