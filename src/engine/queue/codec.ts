/**
 * What crosses the queue, encoded so a worker on another machine computes on exactly the inputs the coordinator
 * has and the coordinator gets back exactly the figures a local run gives:
 *  - values as JSON text in which non-finite numbers and -0 survive (statistics hold Infinity profit factors and
 *    NaN Sharpe ratios; plain JSON turns both into null, and a null objective would rank differently);
 *  - a market series (warm-up + backtested candles) as six Float64 columns, gzip-compressed, named by the SHA-256
 *    of its uncompressed bytes so it is stored once however many jobs read it.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Candle, MarketKey } from '../types.ts';

const NUMBER_TAG = '$num';
/** A Float64Array (a report's equity curve) as base64 of its bytes: exact, and far shorter than a JSON array. */
const FLOAT64_TAG = '$f64';

/** JSON text of `value`; NaN, ±Infinity, -0 and Float64Arrays are tagged instead of becoming null, 0 or objects. */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { [NUMBER_TAG]: Object.is(v, -0) ? '-0' : String(v) };
    if (v instanceof Float64Array) return { [FLOAT64_TAG]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    return v;
  });
}

export function decodeValue<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, string>)[keys[0]];
      if (keys.length === 1 && keys[0] === NUMBER_TAG) return Number(tagged);
      if (keys.length === 1 && keys[0] === FLOAT64_TAG) {
        const bytes = Buffer.from(tagged, 'base64');
        const out = new Float64Array(bytes.length / 8);
        new Uint8Array(out.buffer).set(bytes);
        return out;
      }
    }
    return v;
  }) as T;
}

/** The candles of one backtest input: the part that only warms the detector up, then the traded part. */
export interface SeriesInput {
  key: MarketKey;
  warmup: Candle[];
  candles: Candle[];
}

const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

export interface PackedSeries {
  /** SHA-256 (hex) of the uncompressed bytes: the same candles always get the same name. */
  hash: string;
  /** gzip of: 4-byte header length, header JSON, six Float64 columns (little-endian) of warm-up + candles. */
  body: Buffer;
}

export function packSeries(series: SeriesInput): PackedSeries {
  const rows = [...series.warmup, ...series.candles];
  const header = Buffer.from(JSON.stringify({ key: series.key, warmup: series.warmup.length, rows: rows.length }));
  const columns = Buffer.alloc(rows.length * 8 * FIELDS.length);
  FIELDS.forEach((field, f) => {
    for (let i = 0; i < rows.length; i++) columns.writeDoubleLE(rows[i][field], (f * rows.length + i) * 8);
  });
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const raw = Buffer.concat([length, header, columns]);
  return { hash: createHash('sha256').update(raw).digest('hex'), body: gzipSync(raw) };
}

export function unpackSeries(body: Buffer): SeriesInput {
  const raw = gunzipSync(body);
  const headerLength = raw.readUInt32LE(0);
  const header = JSON.parse(raw.subarray(4, 4 + headerLength).toString('utf8')) as { key: MarketKey; warmup: number; rows: number };
  const start = 4 + headerLength;
  const rows: Candle[] = Array.from({ length: header.rows }, () => ({ ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 }));
  FIELDS.forEach((field, f) => {
    for (let i = 0; i < header.rows; i++) rows[i][field] = raw.readDoubleLE(start + (f * header.rows + i) * 8);
  });
  return { key: header.key, warmup: rows.slice(0, header.warmup), candles: rows.slice(header.warmup) };
}
