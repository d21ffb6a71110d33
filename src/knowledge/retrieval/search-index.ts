/**
 * The derived search structures over the stored chunks: the hnswlib vector index and BM25, both kept in memory,
 * updated per document, and saved together now and then as one snapshot generation under `<dataDir>/vectors/`:
 * knowledge.<generation>.hnsw, knowledge.<generation>.bm25 and knowledge.meta.json (written last: the commit point).
 * Every change sits in the index log (store/index-log.ts), committed with the chunks; the index applies the log after
 * its position on open (from the snapshot's checkpoint), after this instance's writes and, through `catchUp`, before
 * queries: so an add costs no index write, a crash loses nothing, and instances sharing one PostgreSQL database see
 * each other's documents. Anything missing, unreadable, built by another embedding or not matching the stored chunk
 * count is rebuilt from the chunks.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { isAdaptive, mergeObservations, type LocalEmbedderState } from '../embedding/local.ts';
import { compactLog, lastLogSeq, loggedChanges, logPosition, readIndexState, writeIndexState, type LoggedChange } from '../store/index-log.ts';
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
/** Log rows applied per round trip; each page's texts are read in one query and its foreign vectors embedded together. */
const LOG_PAGE = 500;

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

/** New chunks' vectors, and the embedder's learned state to commit with them. */
export interface EmbeddedChunks {
  vectors: Float32Array[];
  /** Merges this ingest's observations into the stored state (other instances may have added theirs meanwhile). */
  state?: { key: string; merge(stored: string | undefined): string };
}

function generationFiles(dir: string, generation: number | undefined): { hnsw: string; bm25: string } {
  // Generation-less meta is the first on-disk format: one knowledge.hnsw and BM25 rebuilt on every start.
  if (generation === undefined) return { hnsw: path.join(dir, 'knowledge.hnsw'), bm25: path.join(dir, 'knowledge.bm25') };
  return { hnsw: path.join(dir, `knowledge.${generation}.hnsw`), bm25: path.join(dir, `knowledge.${generation}.bm25`) };
}

export class SearchIndex {
  private vectors: VectorIndex;
  private bm25 = new Bm25Index();
  private generation = 0;
  /** Last index-log row reflected in memory: this instance's position in the (possibly shared) log. */
  private appliedSeq = 0;
  /** Logged changes in memory but not yet in the saved snapshot. */
  private pending = 0;
  /** An in-memory update failed after its commit: keep the log (replayed on the next open), never checkpoint. */
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
    if (meta && meta.embeddingId === embedder.id && meta.dimensions === embedder.dimensions && (await index.load(meta))) {
      // A long replayed log, or the first on-disk format, is saved soon, in the background (needsCheckpoint).
      if (meta.generation === undefined) index.pending = Math.max(index.pending, CHECKPOINT_AFTER);
      return index;
    }
    const count = await countChunks(db);
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

  /** Embeds new chunks before they are stored, so a failing embedding endpoint leaves the store untouched. */
  async embedChunks(chunks: IndexableChunk[], onProgress?: EmbedProgress): Promise<EmbeddedChunks> {
    const texts = chunks.map(indexText);
    if (!isAdaptive(this.embedder)) return { vectors: await this.embedTexts(texts, onProgress) };
    const before = this.embedder.exportState();
    this.embedder.observe(texts);
    const after = this.embedder.exportState();
    const merge = (stored: string | undefined): string =>
      JSON.stringify(mergeObservations(stored === undefined ? undefined : (JSON.parse(stored) as LocalEmbedderState), before, after));
    return { vectors: await this.embedTexts(texts, onProgress), state: { key: this.stateKey, merge } };
  }

  /** Live chunks in the vector index (what this instance can find). */
  get size(): number {
    return this.vectors.count;
  }

  /** Whether the log holds changes this index has not applied: one read of the log's newest number (its primary key). */
  async behind(): Promise<boolean> {
    return (await lastLogSeq(this.db)) > this.appliedSeq;
  }

  /**
   * Applies everything logged after this index's position: other instances' writes and this one's own, in log order.
   * Callers serialize it with other changes and with checkpoints (knowledge-base.ts); queries may run meanwhile.
   * Returns how many log rows it applied.
   */
  async catchUp(): Promise<number> {
    const applied = await this.applyLog();
    // Other instances' ingests changed the shared statistics the offline embedding weighs query words with.
    if (applied > 0 && isAdaptive(this.embedder)) {
      const stored = await readIndexState(this.db, this.stateKey);
      if (stored) this.embedder.importState(JSON.parse(stored));
    }
    return applied;
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
    await compactLog(this.db, seq);
  }

  private get stateKey(): string {
    return `embedder-state:${this.embedder.id}`;
  }

  /** Loads the saved generation and applies the log after it; false when the caller must rebuild from the chunks. */
  private async load(meta: VectorIndexMeta): Promise<boolean> {
    const files = generationFiles(this.dir, meta.generation);
    try {
      // hnswlib reads on the thread pool while BM25's snapshot is mapped here.
      const vectors = VectorIndex.load(files.hnsw, this.embedder.dimensions, meta.chunkCount);
      let bm25: Bm25Index | undefined;
      try {
        const saved = meta.generation === undefined ? undefined : readBm25Snapshot(files.bm25);
        if (saved && saved.generation === meta.generation) bm25 = Bm25Index.fromSnapshot(saved.snapshot);
      } catch {
        // A missing or damaged BM25 file is rebuilt below from the stored text.
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
      // Up to a position read with the chunk count in one snapshot, so other instances' writes meanwhile cannot make
      // a sound snapshot look damaged; what they write after it is applied by the next catch-up.
      const position = await logPosition(this.db);
      await this.applyLog(position.seq);
      if (this.vectors.count !== position.chunks) return false;
      if (!bm25 || this.bm25.size !== position.chunks) {
        this.bm25 = await this.bm25FromStore();
        this.pending = Math.max(this.pending, CHECKPOINT_AFTER);
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Applies logged changes after `appliedSeq` (up to `upTo`), in order, advancing the position entry by entry, so a
   * catch-up that fails half-way (a dropped connection, a failing embedding endpoint) resumes where it stopped.
   * Each entry is idempotent: an add of a chunk already present and a removal of one already gone change nothing.
   */
  private async applyLog(upTo = Number.MAX_SAFE_INTEGER): Promise<number> {
    let applied = 0;
    for await (const page of loggedChanges(this.db, this.appliedSeq, LOG_PAGE)) {
      const changes = page.filter((c) => c.seq <= upTo);
      if (changes.length === 0) break;
      const { texts, vectors } = await this.addedChunks(changes);
      for (const change of changes) {
        this.applying(change.seq, 1, () => {
          if (change.op === 'remove') {
            this.vectors.remove(change.chunkId);
            this.bm25.remove([change.chunkId]);
            return;
          }
          // A chunk gone from the store was removed by a later entry; its vector still goes in (that entry takes it
          // out again), so the count matches the position's, but there is no text left for BM25.
          const vector = vectors.get(change.chunkId);
          if (vector && !this.vectors.has(change.chunkId)) this.vectors.add(change.chunkId, vector);
          const text = texts.get(change.chunkId);
          if (text !== undefined) this.bm25.add(change.chunkId, searchTokens(text));
        });
        applied++;
      }
      if (changes.length < page.length) break;
    }
    return applied;
  }

  /**
   * The index texts of a page's added chunks still in the store, and their vectors: the logged one when this
   * instance's embedding computed it, else the text embedded here (an instance sharing the database with another
   * embedding), so vectors from two models never share one graph.
   */
  private async addedChunks(changes: LoggedChange[]): Promise<{ texts: Map<number, string>; vectors: Map<number, Float32Array> }> {
    const ids = changes.filter((c) => c.op === 'add').map((c) => c.chunkId);
    const texts = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const chunk of await chunksByIds(this.db, ids.slice(i, i + 500))) texts.set(chunk.id, indexText(chunk));
    }
    const vectors = new Map<number, Float32Array>();
    const foreign: number[] = [];
    for (const change of changes) {
      if (change.op !== 'add') continue;
      const own = (change.embedding ?? this.embedder.id) === this.embedder.id && change.vector?.length === this.embedder.dimensions;
      if (own) vectors.set(change.chunkId, change.vector!);
      else if (texts.has(change.chunkId)) foreign.push(change.chunkId);
    }
    const embedded = await this.embedTexts(foreign.map((id) => texts.get(id)!));
    foreign.forEach((id, i) => vectors.set(id, embedded[i]));
    return { texts, vectors };
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

  /**
   * Re-embeds and re-tokenizes every stored chunk. Runs before the service accepts writes. The position is read
   * first: whatever other instances commit during the scan is in the log after it, and applying it again is harmless.
   */
  private async rebuild(): Promise<void> {
    const { seq, chunks: count } = await logPosition(this.db);
    if (isAdaptive(this.embedder)) {
      this.embedder.resetState();
      for await (const page of allChunks(this.db)) this.embedder.observe(page.map(indexText));
      // Recounted from every chunk; an ingest another instance commits during the scan may be left out of the counts,
      // which only shifts the weights a little until the next rebuild.
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
    this.diverged = false;
  }

  private async bm25FromStore(): Promise<Bm25Index> {
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
