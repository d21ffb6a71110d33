/**
 * Files a backtest leaves behind: report.json (everything, equity as [ts, equity] rows) and trades.csv (one row
 * per trade). The equity PNG comes from the charts module; the caller passes its renderer in.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BacktestReport, EquityCurve, TradeRecord } from './types.ts';

export type EquityRenderer = (equity: EquityCurve, file: string) => Promise<void>;

const iso = (ts: number) => (Number.isFinite(ts) ? new Date(ts).toISOString() : '');
const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(12))) : '');

export const TRADE_COLUMNS = [
  'id', 'symbol', 'setup', 'side', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'size', 'fees', 'r', 'pnl', 'return_pct', 'exit_reason',
] as const;

export function tradesCsv(trades: TradeRecord[]): string {
  const rows = trades.map((t) =>
    [
      t.id,
      t.symbol,
      `${t.setupId}@${t.setupVersion}`,
      t.side,
      iso(t.entryTs),
      num(t.entryPrice),
      iso(t.exitTs),
      num(t.exitPrice),
      num(t.size),
      num(t.fees),
      num(t.rMultiple),
      num(t.pnl),
      num(t.returnPct * 100),
      t.exitReason,
    ]
      .map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v)))
      .join(','),
  );
  return [TRADE_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** Arrays written one element per piece: a 5M-candle run's JSON is larger than the longest string V8 allows. */
const STREAMED = new Set(['trades', 'openTrades', 'skipped']);

/**
 * report.json in pieces: everything in the report, equity as [ts, equity] rows. Statistics that are undefined
 * (NaN: no trades, no losses, zero variance, equity reached 0) are written as null, an unbounded profit factor
 * (no losing trade) as null too; `stats.ruined` and the counts say which case it is.
 */
export function* reportJsonChunks(report: BacktestReport): Generator<string> {
  const { equity, ...rest } = report;
  let first = true;
  for (const [key, value] of Object.entries(rest)) {
    yield `${first ? '{\n' : ',\n'}${JSON.stringify(key)}: `;
    first = false;
    if (STREAMED.has(key) && Array.isArray(value)) {
      yield '[';
      for (let i = 0; i < value.length; i++) yield `${i ? ',' : ''}\n ${JSON.stringify(value[i])}`;
      yield value.length ? '\n]' : ']';
    } else yield JSON.stringify(value, null, 1);
  }
  yield `${first ? '{\n' : ',\n'}"equity": [`;
  const BATCH = 10_000;
  for (let from = 0; from < equity.ts.length; from += BATCH) {
    const rows: string[] = [];
    const to = Math.min(equity.ts.length, from + BATCH);
    for (let i = from; i < to; i++) {
      const v = equity.equity[i];
      rows.push(`[${equity.ts[i]},${Number.isFinite(v) ? v : 'null'}]`);
    }
    yield `${from ? ',' : ''}\n ${rows.join(',\n ')}`;
  }
  yield '\n]\n}';
}

export function reportJson(report: BacktestReport): string {
  return [...reportJsonChunks(report)].join('');
}

/** Writes the pieces in ~1 MB blocks. */
async function writeChunks(file: string, chunks: Iterable<string>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    let buffer: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      buffer.push(chunk);
      size += chunk.length;
      if (size > 1 << 20) {
        await handle.write(buffer.join(''));
        buffer = [];
        size = 0;
      }
    }
    if (buffer.length) await handle.write(buffer.join(''));
  } finally {
    await handle.close();
  }
}

/** Writes report.json, trades.csv and (when a renderer is given) equity.png into `dir`; returns the paths written. */
export async function writeBacktestOutputs(report: BacktestReport, dir: string, renderEquity?: EquityRenderer): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [path.join(dir, 'report.json'), path.join(dir, 'trades.csv')];
  await writeChunks(files[0], reportJsonChunks(report));
  await writeFile(files[1], tradesCsv(report.trades));
  if (renderEquity) {
    const png = path.join(dir, 'equity.png');
    await renderEquity(report.equity, png);
    files.push(png);
  }
  return files;
}
