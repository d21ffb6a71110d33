/**
 * BM25's on-disk form: one little-endian binary file of typed-array sections, so loading 100k chunks' postings is a
 * read and a few views instead of re-tokenizing every chunk (which took 23 s). Written to a temp file, synced and
 * renamed, so a crash leaves the previous file whole.
 *
 *   header (32 bytes): magic "ITB1", version, chunks N, terms T, postings P, term bytes L, generation (float64)
 *   Int32 chunkIds[N] · Int32 lengths[N] · Int32 postingStart[T + 1] · Int32 postingDocs[P] · Uint16 freqs[P] (+pad)
 *   Uint16 maxTf[T] (+pad: each term's highest frequency, for BM25's score ceilings)
 *   UTF-8 terms joined by "\n" (tokens never contain a newline)
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

const MAGIC = 0x31425449; // "ITB1"
const VERSION = 2;
const HEADER_BYTES = 32;

export interface Bm25Snapshot {
  chunkIds: Int32Array;
  lengths: Int32Array;
  terms: string[];
  /** Postings of term t are [postingStart[t], postingStart[t + 1]), sorted by document. */
  postingStart: Int32Array;
  /** Document numbers (positions in chunkIds). */
  postingDocs: Int32Array;
  postingFreqs: Uint16Array;
  /** Highest frequency of each term in any chunk. */
  maxTf: Uint16Array;
}

export function writeBm25Snapshot(file: string, snapshot: Bm25Snapshot, generation: number): void {
  const termBytes = Buffer.from(snapshot.terms.join('\n'), 'utf8');
  const n = snapshot.chunkIds.length;
  const header = new DataView(new ArrayBuffer(HEADER_BYTES));
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, VERSION, true);
  header.setUint32(8, n, true);
  header.setUint32(12, snapshot.terms.length, true);
  header.setUint32(16, snapshot.postingDocs.length, true);
  header.setUint32(20, termBytes.length, true);
  header.setFloat64(24, generation, true);
  const freqPad = snapshot.postingFreqs.byteLength % 4 ? 2 : 0;
  const maxTfPad = snapshot.maxTf.byteLength % 4 ? 2 : 0;
  const temp = `${file}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    for (const part of [
      new Uint8Array(header.buffer),
      bytes(snapshot.chunkIds),
      bytes(snapshot.lengths),
      bytes(snapshot.postingStart),
      bytes(snapshot.postingDocs),
      bytes(snapshot.postingFreqs),
      new Uint8Array(freqPad),
      bytes(snapshot.maxTf),
      new Uint8Array(maxTfPad),
      termBytes,
    ]) {
      for (let off = 0; off < part.byteLength; ) off += writeSync(fd, part, off, part.byteLength - off);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** The snapshot and its generation; throws on a file that is not one (the caller rebuilds from SQLite). */
export function readBm25Snapshot(file: string): { snapshot: Bm25Snapshot; generation: number } {
  let buffer: Uint8Array = readFileSync(file);
  // Typed views need 4-byte alignment; a small file may sit at any offset of Node's shared pool.
  if (buffer.byteOffset % 4 !== 0) buffer = new Uint8Array(buffer);
  if (buffer.byteLength < HEADER_BYTES) throw new Error(`${file}: truncated BM25 snapshot`);
  const header = new DataView(buffer.buffer, buffer.byteOffset, HEADER_BYTES);
  if (header.getUint32(0, true) !== MAGIC || header.getUint32(4, true) !== VERSION) throw new Error(`${file}: not a BM25 snapshot`);
  const n = header.getUint32(8, true);
  const termCount = header.getUint32(12, true);
  const postings = header.getUint32(16, true);
  const termBytes = header.getUint32(20, true);
  const generation = header.getFloat64(24, true);
  let at = buffer.byteOffset + HEADER_BYTES;
  const int32 = (count: number): Int32Array => {
    const view = new Int32Array(buffer.buffer, at, count);
    at += count * 4;
    return view;
  };
  const padded16 = (count: number): number => count * 2 + ((count * 2) % 4 ? 2 : 0);
  const expected = HEADER_BYTES + (2 * n + termCount + 1 + postings) * 4 + padded16(postings) + padded16(termCount) + termBytes;
  if (buffer.byteLength !== expected) throw new Error(`${file}: BM25 snapshot is ${buffer.byteLength} bytes, expected ${expected}`);
  const chunkIds = int32(n);
  const lengths = int32(n);
  const postingStart = int32(termCount + 1);
  const postingDocs = int32(postings);
  const postingFreqs = new Uint16Array(buffer.buffer, at, postings);
  at += padded16(postings);
  const maxTf = new Uint16Array(buffer.buffer, at, termCount);
  at += padded16(termCount);
  const text = Buffer.from(buffer.buffer, at, termBytes).toString('utf8');
  const terms = termCount === 0 ? [] : text.split('\n');
  if (terms.length !== termCount || postingStart[termCount] !== postings) throw new Error(`${file}: inconsistent BM25 snapshot`);
  return { snapshot: { chunkIds, lengths, terms, postingStart, postingDocs, postingFreqs, maxTf }, generation };
}

function bytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
