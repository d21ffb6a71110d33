/**
 * The hnswlib vector index, derived from SQLite: labels are chunk ids. Points are added and marked deleted in place
 * (deleted slots are reused by later adds), and the whole graph is written only at a checkpoint (search-index.ts),
 * to a temp file that is then renamed; the meta file says which saved generation is current.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import hnswlib from 'hnswlib-node';
import type { LocalEmbedderState } from '../embedding/local.ts';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

// M = 16 / efConstruction = 100: recall above 0.95 on our corpora while a 100k build stays in minutes on 2 cores.
const M = 16;
const EF_CONSTRUCTION = 100;
export const EF_SEARCH = 80;

export interface VectorIndexMeta {
  embeddingId: string;
  dimensions: number;
  /** Live chunks in the saved vector index. */
  chunkCount: number;
  /** Saved generation: the index files are knowledge.<generation>.hnsw / .bm25. Absent in the first format (knowledge.hnsw only). */
  generation?: number;
  /** Last index-log sequence number the saved files contain. */
  checkpoint?: number;
  embedderState?: LocalEmbedderState;
}

export interface VectorHit {
  chunkId: number;
  similarity: number;
}

export class VectorIndex {
  private constructor(
    private readonly hnsw: Hnsw,
    readonly dimensions: number,
    private liveCount: number,
  ) {}

  static create(dimensions: number, capacity = 1024): VectorIndex {
    const hnsw = new HierarchicalNSW('ip', dimensions);
    hnsw.initIndex({ maxElements: Math.max(16, capacity), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100, allowReplaceDeleted: true });
    hnsw.setEf(EF_SEARCH);
    return new VectorIndex(hnsw, dimensions, 0);
  }

  /** Reads a saved index on libuv's thread pool (so BM25 can load meanwhile); `liveCount` comes from the meta file. */
  static async load(file: string, dimensions: number, liveCount: number): Promise<VectorIndex> {
    const hnsw = new HierarchicalNSW('ip', dimensions);
    await hnsw.readIndex(file, true);
    if (hnsw.getNumDimensions() !== dimensions) throw new Error(`${file}: ${hnsw.getNumDimensions()} dimensions, expected ${dimensions}`);
    hnsw.setEf(EF_SEARCH);
    return new VectorIndex(hnsw, dimensions, liveCount);
  }

  /** Live (not deleted) points. */
  get count(): number {
    return this.liveCount;
  }

  /** Slots in the graph, deleted ones included. */
  get slots(): number {
    return this.hnsw.getCurrentCount();
  }

  add(chunkId: number, vector: Float32Array | number[]): void {
    if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) {
      this.hnsw.resizeIndex(Math.ceil(this.hnsw.getMaxElements() * 1.5) + 16);
    }
    this.hnsw.addPoint(Array.from(vector), chunkId, true);
    this.liveCount++;
  }

  /** Whether the chunk is a live point (hnswlib answers "not found" for deleted labels too). */
  has(chunkId: number): boolean {
    try {
      this.hnsw.getPoint(chunkId);
      return true;
    } catch {
      return false;
    }
  }

  /** Marks the chunk deleted; false when it was not a live point. */
  remove(chunkId: number): boolean {
    try {
      this.hnsw.markDelete(chunkId);
    } catch {
      return false;
    }
    this.liveCount--;
    return true;
  }

  search(vector: Float32Array, k: number): VectorHit[] {
    const n = Math.min(k, this.liveCount);
    if (n <= 0) return [];
    this.hnsw.setEf(Math.max(EF_SEARCH, n));
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(vector), n);
    // 'ip' distance is 1 − dot; vectors are L2-normalized, so 1 − distance is the cosine similarity.
    return neighbors.map((chunkId, i) => ({ chunkId, similarity: 1 - distances[i] }));
  }

  /** Writes the whole graph on libuv's thread pool; callers must not add or remove meanwhile (queries are fine). */
  async save(file: string): Promise<void> {
    const temp = `${file}.tmp-${process.pid}`;
    if (!(await this.hnsw.writeIndex(temp))) throw new Error(`${temp}: hnswlib could not write the index`);
    syncFile(temp);
    renameSync(temp, file);
  }
}

export function readMeta(file: string): VectorIndexMeta | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as VectorIndexMeta;
  } catch {
    return undefined;
  }
}

/** The commit point of a checkpoint: written after the index files, atomically. */
export function writeMeta(file: string, meta: VectorIndexMeta): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(meta));
  renameSync(temp, file);
}

/** Flushes a written file to disk before it is renamed into place, so the meta never points at unwritten data. */
export function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fileSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}
