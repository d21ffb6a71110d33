/**
 * Done-when of issue 13 (outcomes): an offline replay through the live pipeline journals signals; the trader rejects
 * some, approves some, ignores some, and some are never pushed. The tracker, run as each candle closes, gives EVERY
 * signal an outcome, and the counterfactual ones equal what an independent TradingSession (the backtest path:
 * setupSessionOptions over the same candles, each signal taken) made of the same signals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionEdge } from '../../../../src/engine/learning/journal/decision-edge.ts';
import { DEFAULT_OUTCOME_HORIZON_BARS } from '../../../../src/engine/learning/journal/session-outcome.ts';
import { seriesForSetup, setupSessionOptions, DEFAULT_SIMULATION } from '../../../../src/engine/backtest/service/run-setup.ts';
import { TradingSession } from '../../../../src/engine/trading/session.ts';
import type { SessionEvent, TradeRecord } from '../../../../src/engine/backtest/types.ts';
import type { Signal } from '../../../../src/engine/types.ts';
import { FEES, MARKET, replayWithDecisions, type ReplayedJournal } from './replay-rig.ts';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { shippedSetups } from '../../live/rig.ts';
import { storeArea } from '../../../helpers/store-area.ts';

const HOUR = 3_600_000;
const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1500);
const setups = shippedSetups().filter((s) => s.timeframe === '1h');

/** The backtest path's trades per signal id: each side in its own session so that every signal can be taken. */
function referenceTrades(): Map<string, TradeRecord> {
  const trades = new Map<string, TradeRecord>();
  for (const setup of setups) {
    for (const side of ['long', 'short'] as const) {
      const market = seriesForSetup(candles, '1h', setup, { exchange: MARKET.exchange, symbol: MARKET.symbol });
      const options = setupSessionOptions({ setup, market, settings: { ...DEFAULT_SIMULATION, fees: FEES, slippageBps: 0, account: 'perp' } });
      const inner = options.signalSource;
      const session = new TradingSession({
        ...options,
        management: { ...options.management, pyramiding: true, oppositeSignal: 'ignore', timeStopBars: DEFAULT_OUTCOME_HORIZON_BARS },
        signalSource: { onCandle: (m, i, c) => inner.onCandle(m, i, c).filter((s) => s.side === side) },
        listener: (e: SessionEvent) => {
          if (e.type === 'trade-closed' && e.trade.exitReason !== 'end-of-data') trades.set(e.trade.signalId, e.trade);
        },
      });
      session.run();
    }
  }
  return trades;
}

describe('an outcome for every journaled signal (offline replay)', () => {
  let j: ReplayedJournal;
  let store: ReplayedJournal['store'];
  let signals: Signal[];
  let rejected: Set<string>;
  let approved: Set<string>;
  let pushed: Set<string>;

  beforeAll(async () => {
    j = await replayWithDecisions();
    ({ store, signals, rejected, approved, pushed } = j);
    // Restart-safe: a new tracker (a restart) over the same journal, run twice, arrives at the same rows.
    const end = candles.at(-1)!.ts + HOUR;
    await j.tracker(end).update(MARKET);
    expect((await j.tracker(end).update(MARKET)).decided).toBe(0);
    // Outcomes were decided while the replay ran, not only at its end.
    expect(j.runs.reduce((n, r) => n + r.decided, 0)).toBeGreaterThan(10);
  }, 120_000);

  afterAll(async () => j.cleanup());

  it('every signal has an outcome row; counterfactual ones equal the backtest path trade by trade', async () => {
    expect(signals.length).toBeGreaterThan(20);
    const rows = await store.db.selectFrom('learning_outcomes' as never).selectAll().execute() as unknown as { signal_id: string; status: string; taken: number; net_r: number | null; exit_ts: number | null }[];
    expect(new Set(rows.map((r) => r.signal_id))).toEqual(new Set(signals.map((s) => s.id)));
    expect(rows.every((r) => r.taken === 0)).toBe(true);
    const reference = referenceTrades();
    let compared = 0;
    for (const row of rows.filter((r) => r.status === 'closed')) {
      const trade = reference.get(row.signal_id);
      if (!trade) continue;
      compared++;
      expect(row.net_r!).toBeCloseTo(trade.rMultiple, 9);
      expect(row.exit_ts).toBe(trade.exitTs);
    }
    // Most of the journal is compared (the pipeline and the backtest see the same signals).
    expect(compared).toBeGreaterThan(rows.filter((r) => r.status === 'closed').length * 0.8);
    // And no closed reference trade is missing from the outcomes.
    const closedIds = new Set(rows.filter((r) => r.status === 'closed').map((r) => r.signal_id));
    const journaled = new Set(signals.map((s) => s.id));
    for (const id of reference.keys()) if (journaled.has(id)) expect(closedIds.has(id)).toBe(true);
  });

  it('the decision edge splits approved, rejected, unanswered and not-pushed signals with their counts', async () => {
    let total = 0;
    for (const setup of setups) {
      const edge = await decisionEdge(storeArea(store.db), setup.id, setup.version, { minSample: 1 });
      const g = edge.groups;
      const own = signals.filter((s) => s.setupId === setup.id);
      total += own.length;
      expect(g.all.n + g.all.open).toBe(own.length);
      expect(g.rejected.n + g.rejected.open).toBe(own.filter((s) => rejected.has(s.id)).length);
      expect(g.approved.n + g.approved.open).toBe(own.filter((s) => approved.has(s.id)).length);
      expect(g.notPushed.n + g.notPushed.open).toBe(own.filter((s) => !pushed.has(s.id)).length);
      // Expectancy is the mean net R per decided signal, recomputed here from the rows.
      const rows = (await store.db.selectFrom('learning_outcomes' as never).selectAll().where('setup_id' as never, '=', setup.id as never).execute()) as unknown as { signal_id: string; status: string; net_r: number | null }[];
      const rej = rows.filter((r) => rejected.has(r.signal_id) && r.status !== 'open');
      if (rej.length > 0) expect(g.rejected.expectancyR).toBeCloseTo(rej.reduce((s, r) => s + (r.net_r ?? 0), 0) / rej.length, 9);
      if (g.rejected.n > 0 && g.rejected.expectancyR < 0) expect(edge.recommendations).toContainEqual({ kind: 'rejections-saved', savedR: -g.rejected.expectancyR, n: g.rejected.n });
    }
    expect(total).toBe(signals.length);
  });
});

const closedCount = (rows: { status: string }[]) => rows.filter((r) => r.status === 'closed').length;
const countBy = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
