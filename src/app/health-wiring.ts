/**
 * Health gates wired into a running ITA: they follow the market side's events, measure the exchange clock when
 * there is an exchange, tell the trader once per change, log it, export it as a metric and feed /status.
 */
import type { LiveEvents } from '../engine/live/events.ts';
import { startClockChecks, type HealthGates } from '../engine/live/health-gates.ts';
import { notifyHealthGates } from '../bot/execution/health-notify.ts';
import type { TextNotifier } from '../bot/execution/notify.ts';
import type { Language } from '../engine/services/types.ts';
import type { Logger } from '../logger.ts';
import type { ItaMetrics } from '../ops/metrics.ts';

export interface HealthWiring {
  gates: HealthGates;
  events: LiveEvents;
  notifier: TextNotifier;
  recipients: readonly number[];
  language: Language;
  logger: Logger;
  metrics?: ItaMetrics;
  /** The exchange's clock, when ITA talks to one (not in the offline replay). */
  clock?: { exchange: string; measure: () => Promise<number>; intervalMs?: number };
}

export function wireHealthGates(w: HealthWiring): () => void {
  const stops: (() => void)[] = [w.gates.watch(w.events), notifyHealthGates(w.notifier, w.gates, w.recipients, w.language, w.logger)];
  stops.push(w.gates.on((change) => {
    const { gate } = change;
    const scope = gate.market ? `${gate.market.exchange}:${gate.market.symbol}:${gate.market.timeframe}` : gate.exchange;
    w.metrics?.healthGate(gate.kind, scope, change.type === 'gate-opened');
    if (change.type === 'gate-opened') w.logger.warn('health gate opened: new entries paused', { gate: gate.kind, scope, reason: gate.reason });
    else w.logger.info('health gate cleared: entries resumed', { gate: gate.kind, scope });
  }));
  if (w.clock) {
    const checks = startClockChecks(w.gates, w.clock.exchange, w.clock.measure, w.clock.intervalMs);
    stops.push(() => checks.stop());
  }
  return () => stops.forEach((stop) => stop());
}

/** /status lines: one per open gate (English engine text, translated at the bot boundary). */
export function healthStatusLines(gates: HealthGates): string[] {
  return gates.list().map((g) => `new entries paused on ${g.market ? `${g.market.symbol} ${g.market.timeframe}` : `every ${g.exchange} market`}: ${g.reason}`);
}
