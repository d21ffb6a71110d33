/**
 * An outcome for EVERY journaled signal, kept in `learning_outcomes`, as soon as later candles decide it.
 *   approved and placed  → the executor's real trade (taken = 1): its net R once the position is closed;
 *   anything else        → the counterfactual on the one trading path (./session-outcome.ts): rejected, filtered,
 *                          never pushed, expired unanswered, approved but refused by the governor (taken = 0).
 * Everything is derived from the journal (signals, decisions, executor positions, stored candles), so the tracker
 * is restart-safe and idempotent: running it twice, or after a restart, writes the same rows. Only candles closed
 * by `now()` are read, so an offline replay whose stored data runs ahead of its clock never looks ahead.
 */
import { tableExists } from '../../store/dialect.ts';
import { sql, type Kysely } from 'kysely';
import type { Candle, MarketKey, Signal } from '../../types.ts';
import type { Setup } from '../../setups/index.ts';
import { getCandles } from '../../store/candles.ts';
import { fromRow } from '../../journal/signals.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import type { LearningJournalDatabase, LearningOutcomeTable } from '../store/schema.ts';
import { asArea } from '../../store/area.ts';
import { DEFAULT_OUTCOME_HORIZON_BARS, sessionOutcome, withSetupManagement, type SessionOutcomeSettings } from './session-outcome.ts';

export interface OutcomeTrackerOptions {
  db: Kysely<LearningJournalDatabase>;
  settings: SessionOutcomeSettings;
  /** The setup version a signal belongs to (for its management); undefined when that version is gone. */
  setupFor?: (setupId: string, version: string) => Pick<Setup, 'management'> | undefined;
  now?: () => number;
}

export interface TrackerRun {
  /** Signals looked at. */
  examined: number;
  /** Outcomes that became final in this run. */
  decided: number;
}

type OutcomeFields = Omit<LearningOutcomeTable, 'signal_id' | 'setup_id' | 'setup_version' | 'exchange' | 'symbol' | 'timeframe' | 'signal_ts' | 'updated_at'>;

type PendingRow = Record<string, unknown> & { id: string; decision: string | null; position_status: string | null };

export class OutcomeTracker {
  private readonly now: () => number;
  private hasExecutor: boolean | undefined;

  constructor(private readonly options: OutcomeTrackerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Brings every signal of `market` (all markets when omitted) up to date. */
  async update(market?: MarketKey): Promise<TrackerRun> {
    const now = this.now();
    const rows = await this.pending(market, now);
    let decided = 0;
    const candleCache = new Map<string, Candle[]>();
    for (const row of rows) {
      const signal = fromRow(row as never);
      const outcome = row.decision === 'approve' && row.position_status ? await this.taken(signal.id, now) : await this.counterfactual(signal, now, candleCache);
      if (!outcome) continue;
      if (outcome.status !== 'open') decided++;
      await this.save({ ...outcome, signal_id: signal.id, setup_id: signal.setupId, setup_version: signal.setupVersion, exchange: signal.exchange,
        symbol: signal.symbol, timeframe: signal.timeframe, signal_ts: signal.ts, updated_at: now });
    }
    return { examined: rows.length, decided };
  }

  /** Signals without a final outcome, and counterfactual ones the executor has since taken (a late approval). */
  private async pending(market: MarketKey | undefined, now: number): Promise<PendingRow[]> {
    const db = this.options.db;
    if (this.hasExecutor === undefined) {
      this.hasExecutor = await tableExists(db, 'executor_positions');
    }
    const position = this.hasExecutor
      ? sql`(SELECT p.status FROM executor_positions p WHERE p.signal_id = s.id ORDER BY p.opened_at DESC LIMIT 1)`
      : sql`NULL`;
    const where = market ? sql`AND s.exchange = ${market.exchange} AND s.symbol = ${market.symbol} AND s.timeframe = ${market.timeframe}` : sql``;
    const result = await sql<PendingRow>`
      SELECT * FROM (
        SELECT s.*, d.kind AS decision, ${position} AS position_status, o.status AS outcome_status, o.taken AS outcome_taken
        FROM signals s
        LEFT JOIN decisions d ON d.signal_id = s.id
        LEFT JOIN learning_outcomes o ON o.signal_id = s.id
        WHERE s.ts < ${now} ${where}
      ) AS pending WHERE outcome_status IS NULL OR outcome_status = 'open'
         OR (outcome_taken = 0 AND decision = 'approve' AND position_status IS NOT NULL)
      ORDER BY ts, id`.execute(db);
    return result.rows;
  }

  /** The executor's real trade: its net R once closed; open while the position is. */
  private async taken(signalId: string, now: number): Promise<OutcomeFields | undefined> {
    const p = await sql<{ status: string; r_multiple: number | null; opened_at: number; closed_at: number | null; close_reason: string | null; entry_price: number }>`
      SELECT status, r_multiple, opened_at, closed_at, close_reason, entry_price FROM executor_positions WHERE signal_id = ${signalId} ORDER BY opened_at DESC LIMIT 1`.execute(this.options.db);
    const pos = p.rows[0];
    if (!pos) return undefined;
    const closed = pos.status === 'closed';
    return {
      status: closed ? 'closed' : 'open', taken: 1, net_r: closed ? pos.r_multiple : null, entry_ts: pos.opened_at, entry_price: pos.entry_price,
      exit_ts: pos.closed_at, exit_reason: pos.close_reason, reason: null, window_end_ts: pos.closed_at ?? now,
    };
  }

  private async counterfactual(signal: Signal, now: number, cache: Map<string, Candle[]>): Promise<OutcomeFields> {
    const market: MarketKey = { exchange: signal.exchange, symbol: signal.symbol, timeframe: signal.timeframe };
    const tf = timeframeMs(signal.timeframe);
    const key = `${market.exchange}|${market.symbol}|${market.timeframe}|${signal.ts}`;
    let candles = cache.get(key);
    if (!candles) {
      // Enough for the limit to rest until validUntil and the time barrier after it; only candles closed by now.
      const horizon = Math.max(DEFAULT_OUTCOME_HORIZON_BARS, this.options.settings.horizonBars ?? 0, Number(signal.context.timeStopBars) || 0);
      const restBars = Number.isFinite(signal.validUntil) ? Math.max(0, Math.ceil((signal.validUntil - signal.ts) / tf)) : 0;
      candles = (await getCandles(asArea(this.options.db), market, { from: signal.ts, to: now - tf, limit: horizon + restBars + 4 }));
      cache.set(key, candles);
    }
    const setup = this.options.setupFor?.(signal.setupId, signal.setupVersion);
    const o = sessionOutcome(withSetupManagement(signal, setup), candles, this.options.settings);
    return {
      status: o.status, taken: 0, net_r: Number.isFinite(o.netR) ? o.netR : null, entry_ts: o.entryTs ?? null, entry_price: o.entryPrice ?? null,
      exit_ts: o.exitTs ?? null, exit_reason: o.exitReason ?? null, reason: o.reason ?? null, window_end_ts: o.windowEndTs,
    };
  }

  private async save(row: LearningOutcomeTable): Promise<void> {
    const db = this.options.db;
    await db.insertInto('learning_outcomes').values(row).onConflict((oc) => oc.column('signal_id').doUpdateSet(row)).execute();
  }
}
