/**
 * The executor's shared state and the bookkeeping every operation goes through: the governor's PortfolioState
 * (persisted on every change so a restart continues with the same locks, streaks and bonus), the flags (paused,
 * mode, exchange outage), events, and syncing a managed position with what the broker reports.
 */
import type { Kysely } from 'kysely';
import { ExchangeUnavailableError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../../logger.ts';
import type { Side, Timeframe } from '../../types.ts';
import { timeframeMs } from '../../market/timeframes.ts';
import {
  createPortfolioState, onPositionOpened, onTradeClosed, type Governance, type OpenPosition, type PortfolioState,
} from '../../risk/index.ts';
import type { Broker, BrokerPosition } from '../broker.ts';
import { NO_COSTS, type CostModel } from '../sim/fill-model.ts';
import { netRiskPerUnit } from '../../trading/decision.ts';
import { isStopRefused } from '../core/close-reasons.ts';
import { DEFAULT_INSTRUMENT, MarketStats, type InstrumentSpec } from './market-stats.ts';
import { DEFAULT_PLAN } from './management.ts';
import { executorDb, listManagedPositions, readState, saveManagedPosition, writeState, type ExecutorDb, type ManagedPositionRow } from './store.ts';
import type { ExecutionMode, ExecutorEvent, ExecutorOptions, ManagementPlan } from './types.ts';

export interface ExecutorFlags {
  paused: boolean;
  pausedBy?: string;
  mode: ExecutionMode;
  /** Set on the first ExchangeUnavailableError, cleared by the next successful broker call: one notice per outage. */
  exchangeDown?: { since: number; message: string; startup?: true };
  liveCode?: { code: string; expiresAt: number };
}

const PORTFOLIO_KEY = 'portfolio';
const FLAGS_KEY = 'flags';

export class ExecutorCore {
  readonly db: ExecutorDb;
  readonly g: Governance;
  readonly logger: Logger;
  readonly plan: ManagementPlan;
  readonly instrument: (symbol: string) => InstrumentSpec;
  /** The account's fees and slippage (sizing, signal costs). */
  readonly costs: CostModel;
  readonly stats = new MarketStats();
  readonly listeners = new Set<(event: ExecutorEvent) => void>();
  portfolio!: PortfolioState;
  flags!: ExecutorFlags;
  /** Realized PnL of every closed trade (quote); equity = equity0 + this + open positions. */
  realizedTotal = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly options: ExecutorOptions) {
    this.db = executorDb(options.db as Kysely<any>);
    this.g = options.governance;
    this.logger = (options.logger ?? silentLogger).child({ component: 'executor' });
    this.plan = { ...DEFAULT_PLAN, ...options.management };
    this.instrument = options.instrument ?? (() => DEFAULT_INSTRUMENT);
    this.costs = options.costs ?? NO_COSTS;
  }

  static async load(options: ExecutorOptions): Promise<ExecutorCore> {
    const core = new ExecutorCore(options);
    core.portfolio = (await readState<PortfolioState>(core.db, PORTFOLIO_KEY)) ?? createPortfolioState(options.equity0, options.clock(), core.g);
    core.flags = (await readState<ExecutorFlags>(core.db, FLAGS_KEY)) ?? { paused: false, mode: 'paper' };
    // Live mode never survives a restart into a configuration that no longer allows it.
    if (core.flags.mode === 'live' && (options.configuredMode !== 'live' || !(options.liveBroker ?? options.livePerpBroker))) core.flags = { ...core.flags, mode: 'paper' };
    // A start-up outage belongs to the run that could not reconcile; this run's start-up decides anew (startupOutage).
    if (core.flags.exchangeDown?.startup) core.flags = { ...core.flags, exchangeDown: undefined };
    core.realizedTotal = (await listManagedPositions(core.db, { status: 'closed' })).reduce((sum, r) => sum + (r.pnl ?? 0), 0);
    return core;
  }

  now(): number {
    return this.options.clock();
  }

  /** One operation at a time: a candle arriving during an approval never sees half-updated state. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  emit(event: ExecutorEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn('executor listener failed', { error: (error as Error).message });
      }
    }
  }

  /**
   * The broker of a books account: "paper" and "live" (spot), "paper-perp" and "live-perp" (USDT-M perpetual).
   * An account whose broker is not configured falls back to the paper spot broker, as before perp existed.
   */
  brokerFor(account: string): Broker {
    const o = this.options;
    const broker = account === 'live' ? o.liveBroker : account === 'paper-perp' ? o.perpBroker : account === 'live-perp' ? o.livePerpBroker : undefined;
    return broker ?? o.broker;
  }

  accounts(): string[] {
    const o = this.options;
    return [['paper', o.broker], ['live', o.liveBroker], ['paper-perp', o.perpBroker], ['live-perp', o.livePerpBroker]]
      .filter(([, broker]) => broker !== undefined).map(([account]) => account as string);
  }

  /**
   * Where a new entry on this market goes: the execution mode (paper / live) and the market's account type (spot /
   * perp). Undefined when the market is perp but no perp broker of that mode is configured.
   */
  async entryAccount(symbol: string, timeframe: Timeframe): Promise<string | undefined> {
    const mode = this.flags.mode;
    if (((await this.options.accountOf?.({ symbol, timeframe })) ?? 'spot') === 'spot') return mode;
    const perp = mode === 'live' ? this.options.livePerpBroker : this.options.perpBroker;
    return perp ? `${mode}-perp` : undefined;
  }

  async saveFlags(next: ExecutorFlags): Promise<void> {
    this.flags = next;
    await writeState(this.db, FLAGS_KEY, next);
  }

  /** Every portfolio change goes through here: persisted at once, lock and kill-switch trips announced once. */
  async setPortfolio(next: PortfolioState): Promise<void> {
    const before = this.portfolio;
    this.portfolio = next;
    await writeState(this.db, PORTFOLIO_KEY, next);
    if (!before.dailyLock && next.dailyLock) {
      this.emit({ type: 'daily-lock', at: next.dailyLock.at, text: `daily loss limit reached (${next.dailyLock.dayPnlPct.toFixed(2)} %): no new entries until ${new Date(next.dailyLock.until).toISOString()}` });
    }
    if (before.killSwitch.status === 'armed' && next.killSwitch.status === 'tripped') {
      this.emit({ type: 'kill-switch', at: next.killSwitch.at, text: `kill switch tripped: ${next.killSwitch.drawdownPct.toFixed(2)} % below the peak; /resume to lift it` });
    }
  }

  /** True (and the trader told once per outage) when `error` means the exchange cannot be reached. */
  async exchangeFailed(error: unknown): Promise<boolean> {
    if (!(error instanceof ExchangeUnavailableError)) return false;
    if (!this.flags.exchangeDown) {
      await this.saveFlags({ ...this.flags, exchangeDown: { since: this.now(), message: error.message } });
      this.emit({ type: 'exchange-unavailable', at: this.now(), message: error.message });
      this.logger.warn('exchange unavailable: no new entries; open positions keep their exchange-side stops', { error: error.message });
    }
    return true;
  }

  async exchangeOk(): Promise<void> {
    if (!this.flags.exchangeDown) return;
    const { since, startup } = this.flags.exchangeDown;
    await this.saveFlags({ ...this.flags, exchangeDown: undefined });
    this.emit({ type: 'exchange-recovered', at: this.now(), downSince: since, ...(startup ? { startup } : {}) });
  }

  /**
   * The live books could not be compared with the exchange at start-up: an outage from now (whatever an earlier run
   * left in the flags), said once, so no entry is placed on unreconciled books. The next broker round that reaches
   * every venue ends it (handleCandle, reconnect).
   */
  async startupOutage(message: string): Promise<void> {
    await this.saveFlags({ ...this.flags, exchangeDown: { since: this.now(), message, startup: true } });
    this.emit({ type: 'exchange-unavailable', at: this.now(), message, startup: true });
    this.logger.warn('exchange unreachable at start-up: no new entries until the books are reconciled', { error: message });
  }

  /**
   * One round with every live broker (compare first after an outage, then bring orders up to date); ends the outage
   * when all of them answered. False while the exchange is still unreachable.
   */
  async reconnect(): Promise<boolean> {
    for (const account of this.accounts()) {
      const broker = this.brokerFor(account);
      if (broker.mode !== 'live' || !broker.sync) continue;
      try {
        await broker.sync();
      } catch (error) {
        if (await this.exchangeFailed(error)) return false;
        throw error;
      }
    }
    await this.exchangeOk();
    return true;
  }

  openRows(): Promise<ManagedPositionRow[]> {
    return Promise.all([listManagedPositions(this.db, { status: 'pending' }), listManagedPositions(this.db, { status: 'open' })]).then(([a, b]) => [...a, ...b]);
  }

  async brokerPosition(row: ManagedPositionRow): Promise<BrokerPosition | undefined> {
    return (await this.brokerFor(row.account).positions()).find((p) => p.id === row.id);
  }

  /** Brings the managed row and the portfolio in line with the broker's position (fills, partial exits, close). */
  async syncPosition(row: ManagedPositionRow, bp: BrokerPosition, lastPrice: number): Promise<ManagedPositionRow> {
    let next = row;
    if (bp.status === 'canceled') {
      next = { ...row, status: 'canceled', closed_at: bp.closedAt ?? this.now(), close_reason: bp.closeReason ?? 'canceled', pnl: 0, r_multiple: 0, fees: bp.fees };
      await saveManagedPosition(this.db, next);
      await this.setPortfolio({ ...this.portfolio, openPositions: this.portfolio.openPositions.filter((p) => p.id !== row.id) });
      return next;
    }
    if (row.status === 'pending' && bp.filled > 0) {
      // 1R is measured from the actual fill, as the backtester does.
      // Opened = filled: a resting limit opens when it fills, not when it was placed (the session's entry time).
      next = {
        ...next, status: 'open', opened_at: Math.max(row.opened_at, this.now()), entry_price: bp.entryPrice, size: bp.filled,
        risk_per_unit: Math.abs(bp.entryPrice - row.initial_stop), best: bp.entryPrice,
      };
      this.emit({ type: 'position-opened', positionId: row.id, symbol: row.symbol, entryPrice: bp.entryPrice, size: bp.filled });
    }
    next = { ...next, targets_taken: Math.max(next.targets_taken, next.take_profit_count - bp.takeProfits.length), stop: bp.stop };
    if (bp.status !== 'closed') {
      await saveManagedPosition(this.db, next);
      await this.setPortfolio(onPositionOpened(this.portfolio, toOpenPosition(next, bp, lastPrice)));
      return next;
    }
    // R net, as the session measures it (trading/decision.ts netRiskPerUnit): the stop distance plus the entry and
    // stop fees and the stop's slippage at the account's costs, so a stopped trade is about −1R after costs. (The
    // break-even rule keeps reading the gross distance, as the session's does.)
    const netRisk = netRiskPerUnit(next.side as Side, next.entry_price, next.initial_stop, this.costs.takerFee, this.costs);
    const initialRisk = (netRisk > 0 ? netRisk : next.risk_per_unit) * next.size;
    const dir = next.side === 'long' ? 1 : -1;
    const gross = bp.realizedPnl + bp.fees;
    const closedAt = bp.closedAt ?? this.now();
    next = {
      ...next, status: 'closed', closed_at: closedAt, pnl: bp.realizedPnl, fees: bp.fees, close_reason: bp.closeReason ?? 'closed',
      r_multiple: initialRisk > 0 ? bp.realizedPnl / initialRisk : 0, exit_price: next.entry_price + (next.size > 0 ? gross / (dir * next.size) : 0),
    };
    await saveManagedPosition(this.db, next);
    this.realizedTotal += bp.realizedPnl;
    // The bar the trade closed in: a close stamped at a candle's close time belongs to that candle.
    const barIndex = Math.floor((closedAt - 1) / timeframeMs(row.timeframe as Timeframe));
    await this.setPortfolio(onTradeClosed(this.portfolio, { positionId: row.id, setupId: row.setup_id, pnl: bp.realizedPnl, barIndex, closedAt }, this.g));
    if (isStopRefused(bp.closeReason)) {
      this.emit({ type: 'stop-refused', positionId: row.id, symbol: row.symbol, side: row.side as Side, reason: bp.closeReason!, pnl: bp.realizedPnl });
    }
    this.emit({ type: 'trade-closed', positionId: row.id, symbol: row.symbol, setupId: row.setup_id, setupVersion: row.setup_version, pnl: bp.realizedPnl, r: next.r_multiple!, reason: next.close_reason! });
    return next;
  }

  /** Open positions with the broker's numbers and the last price; then the broker's positions ITA did not open. */
  async openViews(): Promise<OpenView[]> {
    const out: OpenView[] = [];
    const cache = new Map<string, BrokerPosition[]>();
    const held = async (account: string) => {
      if (!cache.has(account)) cache.set(account, await this.brokerFor(account).positions({ status: ['pending', 'open'] }).catch(() => []));
      return cache.get(account)!;
    };
    const rows = await this.openRows();
    for (const row of rows) {
      const bp = (await held(row.account)).find((p) => p.id === row.id);
      out.push({ row, bp, last: this.stats.lastPrice(row.symbol) ?? row.entry_price });
    }
    const known = new Set(rows.map((r) => `${r.account}|${r.id}`));
    for (const account of this.accounts()) {
      for (const bp of await held(account)) {
        if (known.has(`${account}|${bp.id}`)) continue;
        // Money the executor does not manage is still money at risk: shown, flagged, and counted everywhere.
        out.push({ row: unmanagedRow(account, bp), bp, last: this.stats.lastPrice(bp.symbol) ?? bp.entryPrice, unmanaged: true });
      }
    }
    return out;
  }

  /**
   * The governor's open positions follow the broker's books: a broker position ITA has no managed row for (placed by
   * hand, or left by a crash) counts in the open-risk limit, the daily lock and the kill switch like any other, and
   * one that is gone from the broker stops counting.
   */
  async countBrokerBooks(): Promise<OpenView[]> {
    const views = await this.openViews();
    const managed = new Set(views.filter((v) => !v.unmanaged).map((v) => v.row.id));
    let next = { ...this.portfolio, openPositions: this.portfolio.openPositions.filter((p) => managed.has(p.id)) };
    for (const v of views) if (v.unmanaged && v.bp) next = onPositionOpened(next, toOpenPosition(v.row, v.bp, v.last));
    const same = JSON.stringify(next.openPositions) === JSON.stringify(this.portfolio.openPositions);
    if (!same) await this.setPortfolio(next);
    return views;
  }

  /** Mark-to-market equity: start + closed trades + open positions (their partial exits and the rest at the last price). */
  async markToMarket(): Promise<number> {
    let equity = this.options.equity0 + this.realizedTotal;
    for (const v of await this.openViews()) {
      if (!v.bp) continue;
      const dir = v.row.side === 'long' ? 1 : -1;
      equity += v.bp.realizedPnl + dir * v.bp.remaining * (v.last - v.bp.entryPrice);
    }
    return equity;
  }
}

export interface OpenView {
  row: ManagedPositionRow;
  bp?: BrokerPosition;
  last: number;
  /** On the broker but not opened (or no longer known) by the executor. */
  unmanaged?: boolean;
}

/** Stand-in journal row for a broker position the executor has none for (its setup and timeframe are unknown). */
function unmanagedRow(account: string, bp: BrokerPosition): ManagedPositionRow {
  const entry = bp.entryPrice || 0;
  return {
    id: bp.id, account, signal_id: bp.id, setup_id: 'unmanaged', setup_version: '', symbol: bp.symbol, timeframe: '', side: bp.side,
    status: bp.status, opened_at: bp.openedAt, entry_price: entry, initial_stop: bp.stop, stop: bp.stop, size: bp.filled > 0 ? bp.filled : bp.requested,
    risk_per_unit: Math.abs(entry - bp.stop), take_profit_count: bp.takeProfits.length, targets_taken: 0, best: entry, bars_held: 0, atr: 0,
    break_even_at_r: -1, trail_atr: 0, time_stop_bars: 0, last_bar_ts: bp.openedAt, closed_at: null, pnl: null, r_multiple: null, fees: null,
    exit_price: null, close_reason: null,
  };
}

export function toOpenPosition(row: ManagedPositionRow, bp: BrokerPosition, last: number): OpenPosition {
  const dir = row.side === 'long' ? 1 : -1;
  const filled = bp.filled > 0;
  const entry = filled ? bp.entryPrice : row.entry_price;
  return {
    id: row.id, symbol: row.symbol, side: row.side as Side, entry, stop: bp.stop, initialStop: row.initial_stop,
    size: filled ? bp.remaining : row.size, unrealized: filled ? dir * bp.remaining * (last - entry) : 0, setupId: row.setup_id,
  };
}
