/**
 * Benchmark sections for `ita bench` (to be registered by src/bench/index.ts): the latency of one approval through
 * governor → paper broker → journal, and the replay's throughput over real candles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchLine, BenchSection } from '../../../bench/timing.ts';
import { medianMs, percentile } from '../../../bench/timing.ts';
import { readCandlesFromCsv } from '../../market/csv/read-candles.ts';
import { loadSetupFile } from '../../setups/index.ts';
import { loadGovernance } from '../../risk/index.ts';
import { openDatabase } from '../../store/database.ts';
import { createPaperBroker } from '../paper/index.ts';
import { NO_COSTS } from '../sim/fill-model.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../store/migrations.ts';
import { createExecutor } from './executor.ts';
import { runReplay } from '../../trading/replay.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from './schema.ts';
import type { ApprovableSignal } from './types.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const HOUR = 3_600_000;

async function approvalLatencies(count: number): Promise<number[]> {
  const { db, close } = await openDatabase(':memory:', {
    extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations },
  });
  try {
    const t0 = Date.UTC(2026, 10, 18);
    let now = t0;
    const clock = () => now;
    const broker = await createPaperBroker({ db, costs: NO_COSTS, initialBalances: { USDT: 10_000 }, now: clock });
    const executor = await createExecutor({ db, broker, governance: loadGovernance(), clock, equity0: 10_000 });
    const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' as const };
    for (let i = 0; i < 30; i++) {
      now = t0 + (i + 1) * HOUR;
      await executor.onCandle(market, { ts: t0 + i * HOUR, open: 100, high: 100.5, low: 99.5, close: 100, volume: 1e6 });
    }
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const signal: ApprovableSignal = {
        id: `bench-${i}`, setupId: 'bench', setupVersion: 'v1', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', ts: now - HOUR,
        entryType: 'market', entry: 100, stop: 98, targets: [], context: { atr: 1 }, validUntil: now + HOUR,
      };
      const start = process.hrtime.bigint();
      const result = await executor.approve(signal, 'bench');
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.status !== 'accepted') throw new Error(`bench approval refused: ${result.outcome}`);
      // Closed flat at the same price: a scratch trade changes no streak, so every approval sees the same account.
      await executor.close(signal.id, 'bench');
    }
    return times;
  } finally {
    await close();
  }
}

export const sections: BenchSection[] = [
  {
    title: 'executor: approve a signal (governor, paper broker, journal)',
    async run({ quick }) {
      const times = await approvalLatencies(quick ? 30 : 200);
      return [
        { name: 'executor: approve → paper entry + stop + journal, median', value: percentile(times, 50), unit: 'ms', target: '< 50 ms' },
        { name: 'executor: approve, p95', value: percentile(times, 95), unit: 'ms' },
      ] satisfies BenchLine[];
    },
  },
  {
    title: 'executor: replay throughput',
    async run({ quick }) {
      const all = readCandlesFromCsv(path.join(ROOT, 'data/samples/binance_BTCUSDT_1h_2024-07.csv'));
      const candles = all.slice(0, 1800);
      const setup = loadSetupFile(path.join(ROOT, 'setups/ema_cross.yaml'));
      const governance = loadGovernance();
      const dir = mkdtempSync(path.join(tmpdir(), 'ita-bench-replay-'));
      let n = 0;
      const ms = await medianMs(quick ? 1 : 3, () =>
        runReplay({ dbFile: path.join(dir, `r${n++}.sqlite`), market: { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, candles, setups: [setup], governance, equity0: 10_000 }),
      );
      rmSync(dir, { recursive: true, force: true });
      return [
        { name: 'replay: 1,800 BTC/USDT 1h candles, ema_cross, one transaction per candle', value: ms, unit: 'ms' },
        { name: 'replay: candles per second', value: Math.round((candles.length / ms) * 1000), unit: 'candles/s' },
      ] satisfies BenchLine[];
    },
  },
];
