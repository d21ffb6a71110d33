/**
 * An in-memory Executor for the bot's execution tests: positions the test controls, a record of every call, the
 * live-code rule of the real executor (one attempt per code) and a way to emit events.
 */
import type { Executor, ExecutorEvent, PnlSummary, PositionView } from '../../../src/engine/exec/executor/types.ts';
import { solidPng } from '../../helpers/bot-api-client.ts';
import { StaleConfirmationError } from '../../../src/engine/errors.ts';

export const BTC_ID = 'ob-retest@3f9a2c1d7e:binance:BTC/USDT:1h:1719792000000:long';
export const ETH_ID = 'fvg-fill@77aa:binance:ETH/USDT:4h:1719800000000:short';

export function btcPosition(overrides: Partial<PositionView> = {}): PositionView {
  return {
    id: BTC_ID, account: 'paper', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', setupId: 'ob-retest', setupVersion: '3f9a2c1d7e',
    status: 'open', entryPrice: 62850.5, size: 0.02, remaining: 0.02, stop: 62100, initialStop: 62100, lastPrice: 63225.5,
    // 0.02 × (63225.5 − 62850.5) = 7.5 unrealized; risk 0.02 × 750.5 = 15.01 → ≈ 0.5R
    realized: 0, unrealized: 7.5, r: 0.5, openedAt: Date.UTC(2024, 6, 1, 1, 0), ...overrides,
  };
}

export function ethPosition(): PositionView {
  return {
    id: ETH_ID, account: 'paper', symbol: 'ETH/USDT', timeframe: '4h', side: 'short', setupId: 'fvg-fill', setupVersion: '77aa',
    status: 'pending', entryPrice: 3400, size: 0.5, remaining: 0.5, stop: 3460, initialStop: 3460, lastPrice: 3390,
    realized: 0, unrealized: 0, r: 0, openedAt: Date.UTC(2024, 6, 1, 4, 0),
  };
}

export const DAY_PNL: PnlSummary = {
  period: 'day', from: Date.UTC(2024, 6, 1), to: Date.UTC(2024, 6, 1, 12, 0),
  realized: 12.3, unrealized: -4, total: 8.3, realizedR: 1.2, unrealizedR: -0.4, trades: 3, wins: 2,
  bySetup: [{ setupId: 'ob-retest', trades: 2, realized: 10, realizedR: 1, unrealized: -4 }, { setupId: 'fvg-fill', trades: 1, realized: 2.3, realizedR: 0.2, unrealized: 0 }],
};

export interface FakeExecutor extends Executor {
  calls: string[];
  open: PositionView[];
  liveAllowed: boolean;
  emit(event: ExecutorEvent): void;
}

export function createFakeExecutor(): FakeExecutor {
  const listeners = new Set<(event: ExecutorEvent) => void>();
  let mode: 'paper' | 'live' = 'paper';
  let liveCode: string | undefined;
  const fake: FakeExecutor = {
    calls: [],
    open: [btcPosition(), ethPosition()],
    liveAllowed: true,
    emit: (event) => listeners.forEach((l) => l(event)),
    approve: () => Promise.reject(new Error('not used')),
    onSignal: async () => [],
    observe: () => undefined,
    onCandle: () => Promise.resolve(),
    startupOutage: async () => undefined,
    reconnect: async () => true,
    positions: async () => fake.open.map((p) => ({ ...p })),
    async close(id, by) {
      fake.calls.push(`close ${id} ${by}`);
      const p = fake.open.find((x) => x.id === id);
      if (!p) throw new Error(`position ${id} is not open`);
      fake.open = fake.open.filter((x) => x.id !== id);
      return `${p.symbol} ${p.side} closed: +7.50 (+0.50R)`;
    },
    async closeAll(by) {
      fake.calls.push(`closeAll ${by}`);
      const out = fake.open.map((p) => `${p.symbol} ${p.side} closed`);
      fake.open = [];
      return out;
    },
    async moveStopToBreakEven(id) {
      fake.calls.push(`breakEven ${id}`);
      const p = fake.open.find((x) => x.id === id)!;
      p.stop = p.entryPrice;
      return `${p.symbol} stop moved to break-even ${p.entryPrice}`;
    },
    async pnl(period) {
      fake.calls.push(`pnl ${period}`);
      return { ...DAY_PNL, period };
    },
    async risk() {
      return ['risk per trade 1% of equity', 'daily loss 1.2% of 3% used', 'kill switch: armed <ok>'];
    },
    async pause(by) {
      fake.calls.push(`pause ${by}`);
      return 'paused: no new entries; open positions keep their stops and their management';
    },
    async resume(by, expectedToken) {
      if (expectedToken !== undefined && expectedToken !== fake.controlToken()) {
        throw new StaleConfirmationError('the state changed since this question was shown (a later pause, or a new kill-switch trip); nothing was resumed: send /resume again');
      }
      fake.calls.push(`resume ${by}`);
      return `kill switch lifted by ${by}; the drawdown window restarts now`;
    },
    /** Changes with every pause, as the real executor's does. */
    controlToken: () => `${fake.calls.filter((c) => c.startsWith('pause')).length}`.padStart(8, '0'),
    mode: () => mode,
    async requestLive() {
      fake.calls.push('requestLive');
      if (!fake.liveAllowed) return { ok: false, reason: 'the configuration says mode: paper; set mode: live and restart to allow live trading' };
      liveCode = '482913';
      return { ok: true, code: liveCode, expiresAt: Date.UTC(2024, 6, 1, 12, 5) };
    },
    async confirmLive(code) {
      fake.calls.push(`confirmLive ${code}`);
      const expected = liveCode;
      liveCode = undefined;
      if (!expected || code !== expected) return { ok: false, text: 'live trading NOT enabled: the confirmation code is wrong, used or expired; still paper' };
      mode = 'live';
      return { ok: true, text: 'LIVE trading enabled: new approvals place real orders' };
    },
    async report(period) {
      fake.calls.push(`report ${period}`);
      return { text: `Report ${period}: 3 trades, +12.30 (+1.20R)`, equityPng: solidPng(8, 5, [0, 120, 200]) };
    },
    async journalCsv() {
      return 'closed_at,symbol,setup,pnl,r\n2024-07-01T10:00:00Z,BTC/USDT,ob-retest,7.51,0.50\n';
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    equity: () => 10_000,
  };
  return fake;
}
