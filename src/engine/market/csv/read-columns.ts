/**
 * The fast lane for the canonical candle file (`ts,open,high,low,close,volume`, epoch ms, plain decimals): parsed
 * straight from the file's bytes into columns (market/columns.ts), in fixed-size chunks, never holding the text or a
 * Candle object. It accepts exactly the files the full parser (parse-csv.ts) accepts without a problem and yields the
 * same numbers; anything else — another format, an exponent, a stray character, a row the checks refuse — returns
 * null, and the caller reads the file with the full parser, which names every problem with its line.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../errors.ts';
import { emptyColumns, type CandleColumns } from '../columns.ts';

const CHUNK = 1 << 22;
const HEADER = 'ts,open,high,low,close,volume';
/** JavaScript dates end at ±8.64e15 ms (the full parser's bound). */
const MAX_DATE_MS = 8.64e15;
/** Mantissas up to 2^53 and powers of ten up to 1e22 are exact doubles, so one division is correctly rounded = Number(). */
const EXACT_MANTISSA = 2 ** 53;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

export function readCandleColumns(file: string): CandleColumns | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new InputError(`cannot read ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  try {
    return parse(fd, maxRows(fstatSync(fd).size));
  } finally {
    closeSync(fd);
  }
}

/**
 * Rows the file can hold at most: after one ts of 0, every ts has at least 12 digits, so a row takes at least 23 bytes
 * (12 + five 1-digit numbers + five commas + a newline). The columns are sized for that without a counting pass: the
 * pages past the last row are never written, and untouched pages of a typed array take no memory (RSS).
 */
function maxRows(bytes: number): number {
  return Math.floor(bytes / 23) + 2;
}

function parse(fd: number, maxRows: number): CandleColumns | null {
  const cols = emptyColumns(maxRows);
  const { ts: tsCol, open, high, low, close, volume } = cols;
  // The cut line of a chunk is moved to the front of the buffer and the next chunk read behind it (no concatenation).
  let buf = Buffer.allocUnsafe(2 * CHUNK);
  let carry = 0;
  let pos = 0;
  let header = true;
  let rows = 0;
  let prevTs = -Infinity;
  const cells = new Float64Array(6);
  for (;;) {
    if (buf.length < carry + CHUNK) {
      const grown = Buffer.allocUnsafe(2 * (carry + CHUNK));
      buf.copy(grown, 0, 0, carry);
      buf = grown;
    }
    const n = readSync(fd, buf, carry, CHUNK, pos);
    pos += n;
    const data = buf.subarray(0, carry + n);
    const last = n === 0;
    // Whole lines only; the cut line waits for the next chunk.
    const end = last ? data.length : data.lastIndexOf(10) + 1;
    let i = 0;
    if (header && (end > 0 || last)) {
      let nl = data.indexOf(10);
      if (nl < 0 || nl >= end) nl = end;
      const stop = nl > 0 && data[nl - 1] === 13 ? nl - 1 : nl;
      const bom = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
      if (data.toString('latin1', bom, stop) !== HEADER) return null;
      header = false;
      i = nl + 1;
    }
    while (i < end) {
      if (data[i] === 10) {
        i++;
        continue;
      }
      const next = parseRow(data, i, end, cells);
      if (next < 0) return null;
      const t = cells[0];
      if (!(t > prevTs) || !Number.isInteger(t) || (t < 1e11 && t !== 0) || Math.abs(t) > MAX_DATE_MS) return null;
      const o = cells[1];
      const h = cells[2];
      const l = cells[3];
      const c = cells[4];
      const v = cells[5];
      if (h < l || l > Math.min(o, c) || h < Math.max(o, c) || v < 0) return null;
      prevTs = t;
      tsCol[rows] = t;
      open[rows] = o;
      high[rows] = h;
      low[rows] = l;
      close[rows] = c;
      volume[rows] = v;
      rows++;
      i = next;
    }
    if (last) break;
    carry = data.length - end;
    buf.copy(buf, 0, end, data.length);
  }
  if (header || rows === 0) return null;
  return {
    length: rows,
    ts: tsCol.subarray(0, rows),
    open: open.subarray(0, rows),
    high: high.subarray(0, rows),
    low: low.subarray(0, rows),
    close: close.subarray(0, rows),
    volume: volume.subarray(0, rows),
  };
}

/**
 * One row of six plain decimals separated by commas ([-]digits[.digits]) from `start`, ending with LF, CRLF or the
 * end of the data: the position after it, or −1 for anything else.
 */
function parseRow(data: Buffer, start: number, end: number, out: Float64Array): number {
  let i = start;
  for (let k = 0; k < 6; k++) {
    const cellStart = i;
    let negative = false;
    // Reading past `end` gives undefined, which is no digit, dot or comma: the cell ends there and is checked below.
    let c = data[i];
    if (c === 45) {
      negative = true;
      c = data[++i];
    }
    // Integer digits, then fraction digits, in two tight loops: per byte only the digit test and the multiply-add.
    let mantissa = 0;
    const first = i;
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      c = data[++i];
    }
    let digits = i - first;
    let scale = 0;
    if (c === 46) {
      const fraction = ++i;
      c = data[i];
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        c = data[++i];
      }
      scale = i - fraction;
      digits += scale;
    }
    if (digits === 0 || i > end) return -1;
    let value: number;
    if (mantissa < EXACT_MANTISSA && scale < POW10.length) value = scale === 0 ? mantissa : mantissa / POW10[scale];
    else value = Math.abs(Number(data.toString('latin1', cellStart, i)));
    out[k] = negative ? -value : value;
    if (k < 5) {
      if (c !== 44) return -1;
      i++;
    }
  }
  if (i === end) return i;
  if (data[i] === 10) return i + 1;
  if (data[i] === 13 && data[i + 1] === 10) return i + 2;
  return -1;
}
