/**
 * In-memory BotServices for the bot's e2e tests: just enough behaviour to check the transport (one decision per
 * signal, expiry, settings persistence, progress callbacks, abort), plus a record of every call.
 */
import type { MarketKey, Signal } from '../../src/engine/types.ts';
import { InputError } from '../../src/engine/errors.ts';
import type {
  BacktestProgress, BacktestRequest, BotServices, DecisionKind, DecisionResult, IngestProgress, SetupDetail, SignalHistoryItem, StoredRange, UserSettings,
} from '../../src/bot/services.ts';
import { solidPng } from '../helpers/bot-api-client.ts';

export const DEFAULT_SETTINGS: UserSettings = { language: 'en', minScore: 5, timezone: 'UTC', askOnPlainText: false };

export function sampleSignal(overrides: Partial<Signal> = {}): Signal {
  return {
    id: 'ob-retest@3f9a2c1d7e:binance:BTC/USDT:1h:1719792000000:long',
    setupId: 'ob-retest',
    setupVersion: '3f9a2c1d7e',
    setupName: 'Order block retest',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    side: 'long',
    ts: Date.UTC(2024, 6, 1, 0, 0),
    entryType: 'limit',
    entry: 62850.5,
    stop: 62100,
    targets: [{ price: 64351.5, r: 2, closeFraction: 0.5 }, { price: 65102, r: 3, closeFraction: 0.5 }],
    rr: 3,
    score: 7.5,
    rank: 1,
    reasons: { strengths: ['Bullish BOS on 4h', 'Sweep of the Asian low'], weaknesses: ['Funding is high <0.05%>'] },
    context: { rsi: 41.2, session: 'london' },
    validUntil: Date.UTC(2099, 0, 1),
    ...overrides,
  };
}

/** What the executor answers to an approval of sampleSignal(), word for word its template (engine/exec/executor/outcome.ts). */
export const PLACED_OUTCOME =
  'Placed (paper): BTC/USDT long 0.05 units (3142.525 notional), stop 62100, risk 0.38 % (37.53); entry order placed; ' +
  'take-profits 0.025 @ 64351.5, 0.025 @ 65102. Notes: size reduced to 0.05 units: total open risk: 2.00 % open + this trade ≤ 3.00 %, so this trade risks at most 37.53';

export const SETUP: SetupDetail = {
  id: 'ob-retest', name: 'Order block retest', version: '3f9a2c1d7e', timeframe: '1h', enabled: true,
  stats: { trades: 40, winRate: 0.55, expectancyR: 0.42 },
  description: 'Retest of a bullish order block after a break of structure.', rationale: 'Institutions defend their zones.',
  params: { rsiMax: { value: 45, min: 20, max: 60, step: 1 } }, yaml: 'id: ob-retest\n',
};

export interface FakeControls {
  services: BotServices;
  calls: string[];
  decisions: Array<{ id: string; decision: DecisionKind; by: number; reason?: string }>;
  ingested: Array<{ name: string; bytes: Buffer }>;
  backtests: BacktestRequest[];
  settings: Map<number, UserSettings>;
  signals: Map<string, Signal>;
  /** What became of a signal, for /signals (default: waiting). */
  outcomes: Map<string, Partial<SignalHistoryItem>>;
  /** The run's clock (a replay's position); undefined = the wall clock. */
  clock?: number;
  stored: StoredRange[];
  /** Resolves the running backtest's wait between progress steps (tests release it when ready). */
  backtestGate: { release(): void };
  failStatus: boolean;
}

export function createFakeServices(options: { knowledge?: boolean; backtest?: boolean } = {}): FakeControls {
  const calls: string[] = [];
  const decisions: FakeControls['decisions'] = [];
  const ingested: FakeControls['ingested'] = [];
  const backtests: BacktestRequest[] = [];
  const settings = new Map<number, UserSettings>();
  const signals = new Map<string, Signal>([[sampleSignal().id, sampleSignal()]]);
  const watched: MarketKey[] = [];
  let gateOpen: (() => void) | undefined;
  const controls: FakeControls = {
    calls, decisions, ingested, backtests, settings, signals, failStatus: false, outcomes: new Map(),
    stored: [
      { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', count: 13_368, firstTs: Date.UTC(2024, 0, 1), lastTs: Date.UTC(2025, 6, 10, 23) },
      { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h', count: 2_194, firstTs: Date.UTC(2024, 4, 1), lastTs: Date.UTC(2025, 6, 10, 20) },
      { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h', count: 720, firstTs: Date.UTC(2023, 3, 1), lastTs: Date.UTC(2023, 3, 30, 23) },
    ],
    backtestGate: { release: () => gateOpen?.() },
    services: undefined as unknown as BotServices,
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const services: BotServices = {
    now: () => controls.clock ?? Date.now(),
    candles: { stored: async () => controls.stored },
    async status() {
      calls.push('status');
      if (controls.failStatus) throw new Error('status store is locked');
      return {
        mode: 'paper', paused: false, startedAt: Date.UTC(2024, 6, 1, 8, 0), setupsEnabled: 1, signalsToday: 2, pendingDeliveries: 3,
        feeds: [{ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', addedAt: 0, lastCandleTs: Date.UTC(2024, 6, 1, 11, 0), stale: false, health: 'ok' }],
        extra: ['LLM usage today: 12 calls'],
      };
    },
    watchlist: {
      async add(market) {
        calls.push(`watch ${market.exchange} ${market.symbol} ${market.timeframe}`);
        watched.push(market);
        return { added: true, message: `Watching ${market.symbol} ${market.timeframe} on ${market.exchange}` };
      },
      async remove(market) {
        calls.push(`unwatch ${market.symbol}`);
        const index = watched.findIndex((m) => m.symbol === market.symbol && m.timeframe === market.timeframe);
        if (index >= 0) watched.splice(index, 1);
        return index >= 0;
      },
      async list() {
        return watched.map((m) => ({ ...m, addedAt: 0 }));
      },
    },
    setups: {
      async list() { return [SETUP]; },
      async get(id) { return id === SETUP.id ? SETUP : undefined; },
      async setEnabled(id, enabled) {
        calls.push(`setEnabled ${id} ${enabled}`);
        return { ...SETUP, enabled };
      },
      async draft(id, change) {
        calls.push(`draft ${id} ${JSON.stringify(change)}`);
        if (change.kind === 'set' && change.path === 'id') throw new InputError('"id" cannot be edited from the chat; editable: markets, stop (and their fields, e.g. stop.mult, targets.0.r)', { field: 'path', value: 'id' });
        return { id: change.kind === 'clone' ? change.newId : id, basedOn: id, yaml: 'id: x\n', version: 'f00dfeed42', diff: ['- stop: { type: atr, mult: 1.5 }', '+ stop: { type: atr, mult: 2 }'] };
      },
      async apply(draft) {
        calls.push(`apply ${draft.id} ${draft.version}`);
        return { ...SETUP, id: draft.id, version: draft.version };
      },
      async setParam(id, name, value) {
        calls.push(`setParam ${id} ${name} ${value}`);
        return { ...SETUP, version: 'a1b2c3d4e5' };
      },
    },
    signals: {
      async recent() { return [...signals.values()]; },
      async history(offset, limit) {
        const all = [...signals.values()].sort((a, b) => b.ts - a.ts || a.id.localeCompare(b.id));
        const items = all.slice(offset, offset + limit).map((signal) => ({ signal, status: 'waiting' as const, ...controls.outcomes.get(signal.id) }));
        return { items, total: all.length };
      },
      async get(id) { return signals.get(id); },
      async decide(id, decision, by, reason): Promise<DecisionResult> {
        calls.push(`decide ${decision}`);
        await sleep(20); // a real journal write takes a moment: a double tap arrives while the first is in flight
        const signal = signals.get(id);
        if (!signal) return { ok: false, reason: 'unknown', message: 'Unknown signal' };
        const previous = decisions.find((d) => d.id === id);
        if (previous) return { ok: false, reason: 'already-decided', message: `Already decided: ${previous.decision}` };
        if (signal.validUntil < Date.now()) return { ok: false, reason: 'expired', message: 'Signal expired' };
        decisions.push({ id, decision, by, reason });
        return { ok: true, decision, latencyMs: 1200, outcome: decision === 'approve' ? PLACED_OUTCOME : 'recorded' };
      },
      async similar() {
        return [
          { signal: sampleSignal({ id: 'older', ts: Date.UTC(2024, 5, 20) }), outcome: '+2.00R', similarity: 0.91, r: 2, source: 'journal' as const },
          { signal: sampleSignal({ id: 'replayed', ts: Date.UTC(2024, 4, 2) }), outcome: '−1.00R', similarity: 0.84, r: -1, source: 'backtest' as const },
          { signal: sampleSignal({ id: 'undecided', ts: Date.UTC(2024, 4, 1) }), outcome: 'no trade', similarity: 0.8, source: 'journal' as const },
        ];
      },
    },
    charts: {
      async signal() { return solidPng(4, 3, [0, 128, 0]); },
      async market(market, at) {
        calls.push(`chart ${market.symbol} ${market.timeframe}${at === undefined ? '' : ` at ${new Date(at).toISOString()}`}`);
        return solidPng(4, 3, [0, 0, 200]);
      },
    },
    settings: {
      async get(userId) { return settings.get(userId) ?? { ...DEFAULT_SETTINGS }; },
      async update(userId, patch) {
        const next = { ...(settings.get(userId) ?? DEFAULT_SETTINGS), ...patch };
        settings.set(userId, next);
        return next;
      },
    },
  };
  if (options.backtest !== false) {
    services.backtest = {
      async markets() {
        return [
          { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
          { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '4h' },
          { exchange: 'binance', symbol: 'ETH/USDT', timeframe: '1h' },
        ];
      },
      async run(request, onProgress: (p: BacktestProgress) => void, signal) {
        backtests.push(request);
        for (let done = 0; done <= 4; done += 1) {
          if (signal.aborted) throw signal.reason;
          onProgress({ done: done * 250, total: 1000, stage: 'replay' });
          if (done === 2) {
            await new Promise<void>((resolve) => {
              gateOpen = resolve;
              signal.addEventListener('abort', () => resolve(), { once: true });
            });
          }
        }
        if (signal.aborted) throw signal.reason;
        const optimized = request.optimize
          ? { setupId: request.setupId, version: 'v0ptimized', current: { fast: 10, slow: 30 }, best: { fast: 15, slow: 30 }, outOfSample: { trades: 34, expectancyR: 0.12, returnPct: 4.5 } }
          : undefined;
        return { summary: ['Trades: 12', 'Win rate: 58.3%', 'Expectancy: +0.41R'], equityPng: solidPng(5, 5, [10, 10, 10]), tradesCsv: Buffer.from('entry_ts,exit_ts,r\n1,2,1.5\n'), optimized };
      },
    };
  }
  if (options.knowledge !== false) {
    services.knowledge = {
      async ingest(name, bytes, onProgress: (p: IngestProgress) => void) {
        ingested.push({ name, bytes });
        for (let done = 1; done <= 3; done += 1) {
          onProgress({ stage: 'embedding', done, total: 3 });
          await sleep(150); // long enough that the 300 ms progress throttle lets a frame through
        }
        return { document: { id: 7, name, chunks: 3, addedAt: Date.UTC(2024, 6, 1) }, duplicate: false };
      },
      async list() { return [{ id: 7, name: 'smc.pdf', pages: 12, chunks: 40, addedAt: Date.UTC(2024, 6, 1) }]; },
      async remove(id) { calls.push(`forget ${id}`); return id === 7; },
      async ask(question, language) {
        calls.push(`ask ${language} ${question}`);
        return `<b>Answer</b> to ${question.replace(/</g, '&lt;')} [1]`;
      },
    };
  }
  controls.services = services;
  return controls;
}
