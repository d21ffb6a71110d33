/**
 * Health gates: conditions under which ITA's view of a market cannot be trusted, so NEW entries there are paused
 * (open positions keep their exchange-side stops; signals are still journaled):
 *  - stale feed: a poll found no candle for the close that should exist (the exchange or the network is behind);
 *  - unfillable gap: candles are missing and backfill could not fetch them, so indicators run over a hole; the gate
 *    clears after `gapRecoveryCandles` contiguous live candles (the indicators have then mostly forgotten the hole)
 *    or when a later backfill of the market is complete;
 *  - clock skew: this host's clock is more than `clockLimitMs` off the exchange's (signed requests may be refused and
 *    "closed" is judged by this clock); gates every market of that exchange until the offset is back in range.
 * Each gate announces itself once when it opens and once when it clears (listeners: the bot, the log, metrics).
 */
import type { MarketKey } from '../types.ts';
import type { LiveEvent, LiveEvents } from './events.ts';
import { marketKey } from './events.ts';

export type GateKind = 'stale-feed' | 'gap' | 'clock-skew';

export interface OpenGate {
  kind: GateKind;
  /** The market it pauses, or every market of `exchange` (clock skew). */
  market?: MarketKey;
  exchange: string;
  since: number;
  reason: string;
}

export type GateChange = { type: 'gate-opened'; gate: OpenGate } | { type: 'gate-cleared'; gate: OpenGate; at: number };

export interface HealthGatesOptions {
  now?: () => number;
  /** Host clock vs exchange clock, in ms, above which new entries pause (the specification: 1,500 ms). */
  clockLimitMs?: number;
  /** Contiguous live candles after an unfillable gap before the gap gate clears. */
  gapRecoveryCandles?: number;
}

export const DEFAULT_CLOCK_LIMIT_MS = 1_500;
export const DEFAULT_GAP_RECOVERY_CANDLES = 20;

const iso = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export class HealthGates {
  private readonly open = new Map<string, OpenGate>();
  /** The candle a stale market is waiting for: only that one (or a newer one) clears its gate. */
  private readonly awaited = new Map<string, number>();
  /** Live candles seen since a market's unfillable gap. */
  private readonly sinceGap = new Map<string, number>();
  private readonly listeners = new Set<(change: GateChange) => void>();
  private readonly now: () => number;
  readonly clockLimitMs: number;
  private readonly gapRecovery: number;

  constructor(options: HealthGatesOptions = {}) {
    this.now = options.now ?? Date.now;
    this.clockLimitMs = options.clockLimitMs ?? DEFAULT_CLOCK_LIMIT_MS;
    this.gapRecovery = options.gapRecoveryCandles ?? DEFAULT_GAP_RECOVERY_CANDLES;
  }

  /** Follows a pipeline's events (stale polls, backfills, live candles); returns the unsubscribe. */
  watch(events: LiveEvents): () => void {
    return events.on((event) => this.observe(event));
  }

  on(listener: (change: GateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  observe(event: LiveEvent): void {
    if (event.type === 'feed-stale') {
      const last = event.lastTs === undefined ? 'no candle yet' : `the last closed candle opened ${iso(event.lastTs)}`;
      this.awaited.set(marketKey(event.market), event.expectedTs);
      this.openGate({ kind: 'stale-feed', market: event.market, exchange: event.market.exchange, since: this.now(), reason: `feed stale: expected the candle of ${iso(event.expectedTs)}, ${last}` });
    } else if (event.type === 'backfill') {
      const key = this.key('gap', event.market);
      if (event.filled < event.missing) {
        this.sinceGap.set(marketKey(event.market), 0);
        this.openGate({
          kind: 'gap', market: event.market, exchange: event.market.exchange, since: this.now(),
          reason: `gap: ${event.missing - event.filled} of ${event.missing} missing candles could not be fetched`,
        });
      } else if (this.open.has(key)) this.clear(key);
    } else if (event.type === 'candle' && !event.backfilled) {
      const stale = this.key('stale-feed', event.market);
      // A late candle older than the one awaited (the exchange catching up one close at a time) is not fresh yet.
      if (this.open.has(stale) && event.candle.ts >= (this.awaited.get(marketKey(event.market)) ?? -Infinity)) this.clear(stale);
      const gapKey = this.key('gap', event.market);
      if (this.open.has(gapKey)) {
        const seen = (this.sinceGap.get(marketKey(event.market)) ?? 0) + 1;
        this.sinceGap.set(marketKey(event.market), seen);
        if (seen >= this.gapRecovery) this.clear(gapKey);
      }
    }
  }

  /**
   * A measured offset of this host's clock against `exchange` (positive: this host is ahead). Opens or clears the
   * exchange's clock gate; returns whether the offset is within the limit.
   */
  clockOffset(exchange: string, offsetMs: number): boolean {
    const key = `clock-skew|${exchange}`;
    const within = Math.abs(offsetMs) <= this.clockLimitMs;
    if (within) {
      if (this.open.has(key)) this.clear(key);
      return true;
    }
    const ms = Math.round(Math.abs(offsetMs));
    const reason = offsetMs > 0
      ? `this host's clock is ${ms} ms ahead of ${exchange} (limit ${this.clockLimitMs} ms): sync the clock (e.g. enable NTP)`
      : `this host's clock is ${ms} ms behind ${exchange} (limit ${this.clockLimitMs} ms): sync the clock (e.g. enable NTP)`;
    this.openGate({ kind: 'clock-skew', exchange, since: this.now(), reason }, key);
    return false;
  }

  /** Why new entries on this market are paused, or undefined when none is. */
  blocked(market: { exchange?: string; symbol: string; timeframe: string }): string | undefined {
    const reasons: string[] = [];
    for (const gate of this.open.values()) {
      const sameExchange = market.exchange === undefined || gate.exchange === market.exchange;
      if (gate.market === undefined ? sameExchange : sameExchange && gate.market.symbol === market.symbol && gate.market.timeframe === market.timeframe) {
        reasons.push(gate.reason);
      }
    }
    return reasons.length ? `health gate: ${reasons.join('; ')}` : undefined;
  }

  list(): OpenGate[] {
    return [...this.open.values()].sort((a, b) => a.since - b.since);
  }

  private key(kind: GateKind, market: MarketKey): string {
    return `${kind}|${marketKey(market)}`;
  }

  private openGate(gate: OpenGate, key = this.key(gate.kind, gate.market!)): void {
    const existing = this.open.get(key);
    if (existing) {
      // Still open: keep the first moment, refresh the words (the numbers move), announce nothing.
      this.open.set(key, { ...gate, since: existing.since });
      return;
    }
    this.open.set(key, gate);
    this.emit({ type: 'gate-opened', gate });
  }

  private clear(key: string): void {
    const gate = this.open.get(key);
    if (!gate) return;
    this.open.delete(key);
    if (gate.market && gate.kind === 'gap') this.sinceGap.delete(marketKey(gate.market));
    if (gate.market && gate.kind === 'stale-feed') this.awaited.delete(marketKey(gate.market));
    this.emit({ type: 'gate-cleared', gate, at: this.now() });
  }

  private emit(change: GateChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        /* a failing listener must not stop the gates */
      }
    }
  }
}

/**
 * Measures the host clock against the exchange every `intervalMs` (and once at once) and feeds the gates. A failed
 * measurement changes nothing: an unreachable exchange is the executor's outage notice, not a clock problem.
 */
export function startClockChecks(gates: HealthGates, exchange: string, measure: () => Promise<number>, intervalMs = 60_000): { stop(): void; check(): Promise<void> } {
  const check = async () => {
    const offset = await measure().catch(() => undefined);
    if (offset !== undefined && Number.isFinite(offset)) gates.clockOffset(exchange, offset);
  };
  void check();
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), check };
}
