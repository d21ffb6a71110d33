/**
 * The live signal pipeline. Feeds (polling, replay) hand it closed candles; for each it stores the candle, fills a
 * hole from the exchange when the previous candle is missing, runs the market's detector, ranks the signals of the
 * same close across markets, journals every signal and queues the ones worth pushing into the outbox.
 * One path for live and replay, so a replayed month pushes exactly what the live bot would have pushed.
 */
import type SQLite from 'better-sqlite3';
import type { AccountType, Candle, CostModel, MarketKey, Signal } from '../types.ts';
import type { Setup } from '../setups/index.ts';
import type { DetectorOptions } from '../signals/detector.ts';
import { rankSignals } from '../signals/scoring.ts';
import { timeframeMs } from '../market/timeframes.ts';
import type { ExchangeGateway } from '../market/gateway.ts';
import { markFiltered, saveSignals, type JournalDb } from '../journal/signals.ts';
import { applySignalPolicy } from '../signals/policy.ts';
import { candlesBefore, candlesBetween, storeCandles } from '../journal/candle-history.ts';
import { warmupCandles } from '../setups/warmup.ts';
import { enqueue } from '../journal/outbox.ts';
import { loadUserSettings, traderMinScore, type SettingsDefaults } from '../services/settings.ts';
import { LiveEvents, marketKey } from './events.ts';
import { releaseTime } from './quiet-hours.ts';
import { gatedMarketDetector, type RegimeGatedDetector, type GatedSignalDropped } from '../regime/gate.ts';
import type { RegimeReading } from '../regime/types.ts';

/** The part of the gateway the pipeline and the polling feed use. */
export type CandleSource = Pick<ExchangeGateway, 'fetchClosedCandles' | 'backfill'>;

export interface Recipient {
  userId: number;
  /** Private chat with the owner: the chat id equals the user id. */
  chatId: number;
}

export interface PipelineOptions {
  db: JournalDb;
  /** The raw SQLite connection, for cheap per-close candle writes; none on PostgreSQL (Kysely writes them). */
  sqlite?: SQLite.Database;
  /** Enabled setups as of now (the registry's current versions). */
  setups: () => Setup[];
  recipients: Recipient[];
  settings: SettingsDefaults;
  /** Exchange access per exchange id, for filling holes; replay runs without. */
  sourceFor?: (exchange: string) => CandleSource | undefined;
  /** Stored candles fed to a detector before its first live candle (indicator warm-up). */
  warmupCandles?: number;
  history?: DetectorOptions['history'];
  now?: () => number;
  events?: LiveEvents;
  /**
   * The trading session's signal policy (signals/policy.ts, as trading/decision.ts applies it): the account type of
   * the signal's market (spot takes longs only) and `signals.maxCostR`; the minimum score is each recipient's.
   * Without it only the score is judged.
   */
  policy?: { maxCostR: number; accountOf: (market: MarketKey) => AccountType | Promise<AccountType> };
  /** The account's fees and slippage: each signal's cost in R (default: the paper account's 0.1 % per side). */
  costs?: CostModel;
  /** Called after something was queued, so the delivery worker wakes up. */
  onQueued?: () => void;
  /** Adds what the journal's learning knows (the tested success probability) to new signals before they are ranked. */
  annotate?: (signals: Signal[]) => Promise<void>;
}

export interface ClosedCandle {
  market: MarketKey;
  candle: Candle;
}

interface MarketState {
  /** The setups' detector behind the regime gate: setups with a `regimes:` map trade only there, as in backtests. */
  detector: RegimeGatedDetector;
  lastTs?: number;
}


export class LivePipeline {
  readonly events: LiveEvents;
  private readonly markets = new Map<string, MarketState>();
  private readonly health = new Map<string, string>();
  private readonly now: () => number;
  private paused = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PipelineOptions) {
    this.events = options.events ?? new LiveEvents();
    this.now = options.now ?? Date.now;
  }

  /** Paused: candles are still stored and detectors still advance (their state must stay causal); nothing is queued. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Open time of the last candle a market's detector processed. */
  lastTs(market: MarketKey): number | undefined {
    return this.markets.get(marketKey(market))?.lastTs;
  }

  /** The market's regime as of its last processed candle (undefined before its detector exists). */
  regimeOf(market: MarketKey): RegimeReading | undefined {
    return this.markets.get(marketKey(market))?.detector.reading;
  }

  healthOf(market: MarketKey): string | undefined {
    return this.health.get(marketKey(market));
  }

  /** Setups changed: detectors are rebuilt (and re-warmed from the store) on their next candle. */
  resetDetectors(): void {
    this.markets.clear();
  }

  /** Builds and warms a market's detector now rather than on its first candle. */
  /** `beforeTs`: warm-up candles OPEN before it; pass (start − timeframe + 1) to take only candles closed by start. */
  async warmUp(market: MarketKey, beforeTs = Number.MAX_SAFE_INTEGER): Promise<void> {
    await this.serialized(() => this.stateFor(market, beforeTs));
  }

  /**
   * Processes candles that closed at the same moment (one per market). Calls are serialized, so two feeds firing
   * together never interleave inside a detector. `now` overrides the clock (a replay runs on candle time).
   */
  processCloses(closes: readonly ClosedCandle[], options: { now?: number } = {}): Promise<Signal[]> {
    return this.serialized(() => this.process(closes, options.now ?? this.now()));
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async process(closes: readonly ClosedCandle[], now: number): Promise<Signal[]> {
    const found: Signal[] = [];
    const gated: GatedSignalDropped[] = [];
    for (const { market, candle } of closes) {
      try {
        found.push(...(await this.processMarket(market, candle, gated)));
      } catch (error) {
        this.health.set(marketKey(market), `error: ${(error as Error).message}`);
        this.events.emit({ type: 'error', where: 'pipeline', error: error as Error, market });
      }
    }
    // Signals of the same close compete for the trader's attention; a backfilled older close is ranked on its own.
    if (found.length > 0 && this.options.annotate) {
      try {
        await this.options.annotate(found);
      } catch (error) {
        // Learning is advice about advice: without it the signal still goes out, ranked by score.
        this.events.emit({ type: 'error', where: 'learning', error: error as Error });
      }
    }
    const byClose = new Map<number, Signal[]>();
    for (const signal of found) {
      const close = signal.ts + timeframeMs(signal.timeframe);
      byClose.set(close, [...(byClose.get(close) ?? []), signal]);
    }
    const ranked = [...byClose.keys()].sort((a, b) => a - b).flatMap((close) => rankSignals(byClose.get(close)!));
    await saveSignals(this.options.db, ranked, now);
    await this.journalGated(gated, now);
    if (ranked.length > 0) await this.queueForRecipients(ranked, now);
    return ranked;
  }

  /**
   * Signals the setups' regime enable maps refused are journaled as filtered (rule `regime`), so they get an outcome
   * like every other signal kept from the trader. They are not events: in a backtest they never reach the session,
   * so live they must not reach the executor either (no opposite-signal exit from a signal the setup may not trade).
   */
  private async journalGated(gated: readonly GatedSignalDropped[], now: number): Promise<void> {
    if (gated.length === 0) return;
    await saveSignals(this.options.db, gated.map((g) => g.signal), now);
    for (const { signal, reason } of gated) await markFiltered(this.options.db, signal.id, 'regime', reason);
  }

  /** The market's signals on this close (a filled hole's included); those the regime gate dropped go to `gated`. */
  private async processMarket(market: MarketKey, candle: Candle, gated: GatedSignalDropped[]): Promise<Signal[]> {
    const key = marketKey(market);
    const state = await this.stateFor(market, candle.ts);
    if (state.lastTs !== undefined && candle.ts <= state.lastTs) return [];
    const signals: Signal[] = [];
    const step = timeframeMs(market.timeframe);
    if (state.lastTs !== undefined && candle.ts > state.lastTs + step) {
      for (const missing of await this.fillHole(market, state.lastTs, candle.ts)) {
        signals.push(...state.detector.update(missing));
        gated.push(...state.detector.dropped);
        state.lastTs = missing.ts;
        this.events.emit({ type: 'candle', market, candle: missing, backfilled: true, regime: state.detector.reading.regime });
      }
    }
    await storeCandles(this.options, market, [candle]);
    signals.push(...state.detector.update(candle));
    gated.push(...state.detector.dropped);
    state.lastTs = candle.ts;
    this.health.delete(key);
    this.events.emit({ type: 'candle', market, candle, backfilled: false, regime: state.detector.reading.regime });
    return signals;
  }

  /** Candles between the last processed one and `beforeTs`: from the store when present, else from the exchange. */
  private async fillHole(market: MarketKey, afterTs: number, beforeTs: number): Promise<Candle[]> {
    const step = timeframeMs(market.timeframe);
    const missing = Math.round((beforeTs - afterTs) / step) - 1;
    let stored = await candlesBetween(this.options.db, market, afterTs, beforeTs);
    const source = this.options.sourceFor?.(market.exchange);
    if (stored.length < missing && source) {
      this.health.set(marketKey(market), 'backfilling');
      const fetched = (await source.backfill(market.symbol, market.timeframe, afterTs + step, beforeTs)).filter((c) => c.ts > afterTs && c.ts < beforeTs);
      if (fetched.length > 0) await storeCandles(this.options, market, fetched);
      stored = await candlesBetween(this.options.db, market, afterTs, beforeTs);
    }
    this.events.emit({ type: 'backfill', market, missing, filled: stored.length });
    return stored;
  }

  private async stateFor(market: MarketKey, beforeTs: number): Promise<MarketState> {
    const key = marketKey(market);
    let state = this.markets.get(key);
    if (state) return state;
    const setups = this.options.setups();
    const detector = gatedMarketDetector({ market, setups, history: this.options.history, costs: this.options.costs });
    state = { detector };
    // The same warm-up length as backtests and replays: computed from what the setups read.
    const history = await candlesBefore(this.options.db, market, beforeTs, this.options.warmupCandles ?? warmupCandles(this.options.setups(), market.timeframe));
    // Warm-up signals are history: the detector must see them to stay causal, but they are not news.
    for (const candle of history) detector.update(candle);
    state.lastTs = history.at(-1)?.ts;
    this.markets.set(key, state);
    return state;
  }

  /**
   * Queues journaled signals for every recipient by the signal policy (account side, the recipient's minimum score,
   * cost in R) and their settings (quiet hours); paused or expired ones are held. A signal the policy keeps from
   * every recipient is journaled with the rule and the reason, and the 'signal' event carries it.
   */
  async queueForRecipients(signals: Signal[], now: number): Promise<void> {
    let queued = false;
    const policy = this.options.policy;
    for (const signal of signals) {
      let held: string | undefined;
      let filtered: { rule: string; reason: string } | undefined;
      let reached = false;
      // Without a policy the account is not known: no side rule (as a research backtest).
      const account: AccountType = policy ? await policy.accountOf({ exchange: signal.exchange, symbol: signal.symbol, timeframe: signal.timeframe }) : 'perp';
      for (const recipient of this.options.recipients) {
        const settings = await loadUserSettings(this.options.db, recipient.userId, this.options.settings);
        const minScore = await traderMinScore(this.options.db, recipient.userId, this.options.settings);
        const judged = applySignalPolicy(signal, { account, minScore, maxCostR: policy?.maxCostR ?? Infinity });
        if (!judged.pass) {
          held = `${judged.rule}: ${judged.reason}`;
          filtered ??= { rule: judged.rule, reason: judged.reason };
        } else if (this.paused) held = 'paused';
        else if (now > signal.validUntil) held = 'expired before it could be pushed';
        else {
          reached = true;
          const notBefore = releaseTime(now, settings.quietHours, settings.timezone);
          if (await enqueue(this.options.db, signal, recipient.chatId, notBefore, now)) queued = true;
          held = notBefore > now ? `quiet hours until ${new Date(notBefore).toISOString()}` : undefined;
        }
      }
      if (filtered && !reached) await markFiltered(this.options.db, signal.id, filtered.rule, filtered.reason);
      this.events.emit({ type: 'signal', signal, queued: held === undefined || held.startsWith('quiet'), held });
    }
    if (queued) this.options.onQueued?.();
  }
}
