/**
 * A small trading simulator for the property tests. It drives the governor and the state transitions the way the
 * executor will, and keeps its OWN independent record of the limits (day PnL, locks, kill switch, streaks,
 * cooldowns) computed from first principles, so a property compares the governor against this oracle rather
 * than against itself.
 */
import { evaluateIntent } from '../../../src/engine/risk/governor.ts';
import type { Governance } from '../../../src/engine/risk/governance-schema.ts';
import { createPortfolioState, onEquity, onPositionOpened, onTradeClosed, resume } from '../../../src/engine/risk/state.ts';
import type { MarketState, OpenPosition, OrderIntent, PortfolioState, RiskVerdict } from '../../../src/engine/risk/types.ts';

export const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'DOGE/USDT'] as const;
const HOUR = 3_600_000;

export type Action =
  | { kind: 'intent'; symbol: number; side: 'long' | 'short'; stopPct: number; leverage: number | null; add: boolean; setup: number; wideSpread: boolean; thin: boolean; volatile: boolean }
  | { kind: 'price'; symbol: number; movePct: number }
  | { kind: 'close'; position: number }
  | { kind: 'time'; hours: number }
  | { kind: 'resume' };

/** Fixed daily close histories: ETH and BNB move with BTC, SOL on its own, XRP too short to know. */
function dailyCloses(): Record<string, number[]> {
  const btc = Array.from({ length: 91 }, (_, i) => 100 * (1 + 0.03 * Math.sin(i * 1.3)));
  const sol = Array.from({ length: 91 }, (_, i) => 100 * (1 + 0.03 * Math.cos(i * 0.37 + 1)));
  return { 'BTC/USDT': btc, 'ETH/USDT': btc.map((c) => c * 20), 'BNB/USDT': btc.map((c) => c * 5), 'SOL/USDT': sol, 'XRP/USDT': sol.slice(-12), 'DOGE/USDT': sol };
}
const CLOSES = dailyCloses();

export interface Violation {
  step: number;
  message: string;
}

export class Simulation {
  now = Date.UTC(2026, 10, 21, 9, 0);
  cash = 10_000;
  prices = new Map<string, number>(SYMBOLS.map((s) => [s, 100]));
  state: PortfolioState;
  nextId = 1;
  accepted = 0;
  refusedBy = new Map<string, number>();
  adjustedBy = new Map<string, number>();
  violations: Violation[] = [];
  step = 0;

  // The oracle: the limits recomputed independently of src/engine/risk.
  private oDay = '';
  private oDayStart = 0;
  private oRealizedToday = 0;
  private oLockedToday = false;
  private oSamples: { ts: number; equity: number }[] = [];
  private oResumeAt = -Infinity;
  private oTripped = false;
  private oLosses = 0;
  private oWins = 0;
  private oReduced = false;
  private oSetupTrades = new Map<string, { bar: number; pnl: number }[]>();

  constructor(readonly g: Governance) {
    this.state = createPortfolioState(this.cash, this.now, g);
    this.oDay = utcDay(this.now);
    this.oDayStart = this.cash;
    this.oSamples.push({ ts: this.now, equity: this.cash });
  }

  get bar(): number {
    return Math.floor(this.now / HOUR);
  }

  equity(): number {
    return this.cash + this.state.openPositions.reduce((sum, p) => sum + unrealized(p, this.prices.get(p.symbol)!), 0);
  }

  run(actions: Action[]): void {
    for (const a of actions) {
      this.step++;
      if (a.kind === 'intent') this.intent(a);
      else if (a.kind === 'price') this.move(SYMBOLS[a.symbol], a.movePct);
      else if (a.kind === 'close') this.closeAt(a.position);
      else if (a.kind === 'time') this.advance(a.hours);
      else if (this.state.killSwitch.status === 'tripped') {
        this.state = resume(this.state, 'trader', this.now);
        this.oTripped = false;
        this.oResumeAt = this.now;
      }
    }
  }

  private violate(message: string): void {
    this.violations.push({ step: this.step, message });
  }

  private intent(a: Extract<Action, { kind: 'intent' }>): void {
    const symbol = SYMBOLS[a.symbol];
    const price = this.prices.get(symbol)!;
    const existing = this.state.openPositions.find((p) => p.symbol === symbol && p.side === a.side);
    // An add places the combined stop somewhere between the open entry and the price, as a trader would.
    const stop =
      a.add && existing && unrealized(existing, price) > 0
        ? existing.entry + (price - existing.entry) * (a.stopPct / 5)
        : a.side === 'long'
          ? price * (1 - a.stopPct / 100)
          : price * (1 + a.stopPct / 100);
    const intent: OrderIntent = {
      symbol, side: a.side, entry: price, stop, setupId: `setup${a.setup}`, setupVersion: 'v', signalId: `sig${this.step}`,
      ...(a.leverage === null ? {} : { leverage: a.leverage }), ...(a.add ? { addToPosition: true } : {}),
    };
    const half = a.wideSpread ? price * 0.0004 : price * 0.00001;
    const market: MarketState = {
      symbol, lastPrice: price, bid: price - half, ask: price + half, quoteVolume24h: a.thin ? 1e6 : 1e9, dailyCloses: CLOSES,
      atr: a.volatile ? 3 : 1, atrThreshold: 2, barIndex: this.bar, amountStep: 0.001, minAmount: 0.001, minNotional: 5,
    };
    const verdict = evaluateIntent(intent, this.state, market, this.now, this.g);
    if (verdict.status === 'refused') {
      this.refusedBy.set(verdict.rule, (this.refusedBy.get(verdict.rule) ?? 0) + 1);
      if (process.env.RISK_REASONS && verdict.rule === process.env.RISK_REASONS) console.log(verdict.reason);
      return;
    }
    this.accepted++;
    for (const adj of verdict.adjustments) this.adjustedBy.set(adj.rule, (this.adjustedBy.get(adj.rule) ?? 0) + 1);
    this.checkAccepted(verdict, intent, market);
    this.open(intent, verdict.size.units);
  }

  private checkAccepted(v: Extract<RiskVerdict, { status: 'accepted' }>, intent: OrderIntent, market: MarketState): void {
    const g = this.g;
    const equity = this.equity();
    const tol = 1 + 1e-9;
    const riskPct = (v.size.units * Math.abs(intent.entry - intent.stop) * 100) / equity;
    if (riskPct > g.risk.maxPct * tol) this.violate(`risk ${riskPct} % > cap ${g.risk.maxPct} %`);
    if (riskPct > v.effectiveRiskPct * tol) this.violate(`risk ${riskPct} % > effective ${v.effectiveRiskPct} %`);
    const dayPct = (Math.min(this.oRealizedToday, equity - this.oDayStart) * 100) / this.oDayStart;
    const bonusPossible = dayPct >= g.risk.bonusActivateAtDayPnlPct;
    const reducedNow = this.oReduced || market.atr > market.atrThreshold;
    const ceiling = g.risk.basePct - (reducedNow ? g.risk.reduceByPct : 0) + (bonusPossible ? g.risk.bonusPct : 0);
    if (riskPct > ceiling * tol) this.violate(`risk ${riskPct} % > ${ceiling} % allowed by streak/volatility/day PnL ${dayPct}`);
    if (this.oLockedToday || dayPct <= -g.dailyLossPct) this.violate(`entry accepted with the daily loss limit reached (day ${dayPct} %)`);
    if (this.oTripped) this.violate('entry accepted while the kill switch is tripped');
    const openRiskAfter = this.state.openPositions.reduce((s, p) => s + riskToStop(p), 0) + v.size.units * Math.abs(intent.entry - intent.stop);
    if (openRiskAfter > (equity * g.maxOpenRiskPct * tol) / 100) this.violate(`open risk ${openRiskAfter} > ${g.maxOpenRiskPct} % of ${equity}`);
    const notionalAfter = this.state.openPositions.reduce((s, p) => s + p.entry * p.size, 0) + v.size.units * intent.entry;
    if (notionalAfter > equity * g.leverageCap * tol) this.violate(`account notional ${notionalAfter} > ${g.leverageCap}× ${equity}`);
    if (v.size.leverage > g.leverageCap) this.violate(`leverage ${v.size.leverage} > cap`);
    const ownLeverage = Math.min(intent.leverage ?? 1, g.leverageCap);
    if (v.size.units * intent.entry > equity * ownLeverage * tol) this.violate(`position notional above equity × ${ownLeverage}`);
    const existing = this.state.openPositions.find((p) => p.symbol === intent.symbol);
    if (existing) {
      const pnl = unrealized(existing, market.lastPrice);
      const r = Math.abs(existing.entry - existing.initialStop);
      const profitR = (existing.side === 'long' ? market.lastPrice - existing.entry : existing.entry - market.lastPrice) / r;
      if (existing.side !== intent.side) this.violate('accepted against an opposite position');
      if (pnl < 0) this.violate(`added to a losing position (unrealized ${pnl})`);
      if (profitR < g.pyramiding.minProfitR - 1e-9) this.violate(`added at ${profitR}R < ${g.pyramiding.minProfitR}R`);
      const avg = (existing.entry * existing.size + intent.entry * v.size.units) / (existing.size + v.size.units);
      const beOk = intent.side === 'long' ? intent.stop >= avg * (1 - 1e-12) : intent.stop <= avg * (1 + 1e-12);
      if (!beOk) this.violate(`combined stop ${intent.stop} short of break-even ${avg}`);
    } else if (intent.addToPosition) this.violate('accepted an add with nothing to add to');
    const trades = this.oSetupTrades.get(intent.setupId) ?? [];
    const lastTwo = trades.slice(-g.cooldown.afterConsecutiveLosses);
    if (lastTwo.length === g.cooldown.afterConsecutiveLosses && lastTwo.every((t) => t.pnl < 0) && this.bar - lastTwo[lastTwo.length - 1].bar <= g.cooldown.bars) {
      this.violate(`setup ${intent.setupId} traded during its cooldown`);
    }
    if (!g.markets.allowlist.includes(intent.symbol) || market.quoteVolume24h < g.markets.minQuoteVolume24h) this.violate('market filter ignored');
    if (((market.ask - market.bid) / ((market.ask + market.bid) / 2)) * 1e4 > g.markets.maxSpreadBps) this.violate('spread filter ignored');
  }

  private open(intent: OrderIntent, units: number): void {
    const existing = this.state.openPositions.find((p) => p.symbol === intent.symbol);
    const position: OpenPosition = existing
      ? { ...existing, entry: (existing.entry * existing.size + intent.entry * units) / (existing.size + units), size: existing.size + units, stop: intent.stop }
      : { id: `p${this.nextId++}`, symbol: intent.symbol, side: intent.side, entry: intent.entry, stop: intent.stop, initialStop: intent.stop, size: units, unrealized: 0, setupId: intent.setupId };
    this.state = onPositionOpened(this.state, position);
    this.refreshUnrealized();
  }

  private move(symbol: string, movePct: number): void {
    this.prices.set(symbol, this.prices.get(symbol)! * (1 + movePct / 100));
    this.refreshUnrealized();
    // Stops are market orders: a move through a stop closes the position at the (possibly gapped) price.
    for (const p of [...this.state.openPositions]) {
      const price = this.prices.get(p.symbol)!;
      if (p.side === 'long' ? price <= p.stop : price >= p.stop) this.close(p);
    }
    this.equityUpdate();
  }

  private closeAt(index: number): void {
    const positions = this.state.openPositions;
    if (positions.length === 0) return;
    this.close(positions[index % positions.length]);
    this.equityUpdate();
  }

  private close(p: OpenPosition): void {
    const pnl = unrealized(p, this.prices.get(p.symbol)!);
    this.cash += pnl;
    const setupId = p.setupId ?? 'unknown';
    this.state = onTradeClosed(this.state, { positionId: p.id, setupId, pnl, barIndex: this.bar, closedAt: this.now }, this.g);
    this.refreshUnrealized();
    this.oRealizedToday += pnl;
    if (pnl > 0) [this.oWins, this.oLosses] = [this.oWins + 1, 0];
    if (pnl < 0) [this.oWins, this.oLosses] = [0, this.oLosses + 1];
    if (this.oLosses >= this.g.risk.reduceAfterConsecutiveLosses) this.oReduced = true;
    if (this.oWins >= this.g.risk.restoreAfterConsecutiveWins) this.oReduced = false;
    this.oSetupTrades.set(setupId, [...(this.oSetupTrades.get(setupId) ?? []), { bar: this.bar, pnl }]);
    this.oracleLimits();
  }

  private advance(hours: number): void {
    this.now += hours * HOUR;
    this.equityUpdate();
  }

  private equityUpdate(): void {
    const equity = this.equity();
    this.state = onEquity(this.state, equity, this.now, this.g);
    this.oSamples.push({ ts: this.now, equity });
    this.oracleLimits();
  }

  private refreshUnrealized(): void {
    const positions = this.state.openPositions.map((p) => ({ ...p, unrealized: unrealized(p, this.prices.get(p.symbol)!) }));
    this.state = { ...this.state, openPositions: positions };
  }

  private oracleLimits(): void {
    const equity = this.equity();
    if (utcDay(this.now) !== this.oDay) {
      this.oDay = utcDay(this.now);
      this.oDayStart = equity;
      this.oRealizedToday = 0;
      this.oLockedToday = false;
    }
    const dayPct = (Math.min(this.oRealizedToday, equity - this.oDayStart) * 100) / this.oDayStart;
    if (dayPct <= -this.g.dailyLossPct) this.oLockedToday = true;
    const from = Math.max(this.now - this.g.killSwitch.windowMs, this.oResumeAt);
    const peak = Math.max(equity, ...this.oSamples.filter((s) => s.ts >= from).map((s) => s.equity));
    if (((equity - peak) * 100) / peak <= -this.g.killSwitch.drawdownPct) this.oTripped = true;
    this.oSamples = this.oSamples.filter((s) => s.ts >= this.now - this.g.killSwitch.windowMs);
  }
}

function unrealized(p: OpenPosition, price: number): number {
  return (p.side === 'long' ? price - p.entry : p.entry - price) * p.size;
}

function riskToStop(p: OpenPosition): number {
  return Math.max(0, p.side === 'long' ? p.entry - p.stop : p.stop - p.entry) * p.size;
}

function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}
