/**
 * Prometheus metrics (prom-client): one registry per running ITA, written to by small recorder methods so the
 * engine never imports prom-client, and read by Prometheus through the /metrics endpoint (metrics-server.ts).
 * Names follow Prometheus conventions: base units (seconds, ratios), `_total` for counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag) besides ITA's own. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'ita_process_' });
  const r = { registers: [registry] };

  const deliveryLatency = new Histogram({
    ...r, name: 'ita_signal_delivery_seconds', help: 'Candle close to the signal message accepted by Telegram',
    // The trader's hard limit is 30 s; the aim is under 1 s.
    buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10, 30],
  });
  const signals = new Counter({ ...r, name: 'ita_signals_total', help: 'Signals by setup and what became of them', labelNames: ['setup', 'outcome'] });
  const decisions = new Counter({ ...r, name: 'ita_decisions_total', help: "The trader's decisions", labelNames: ['decision'] });
  const orders = new Counter({ ...r, name: 'ita_orders_total', help: 'Orders sent to the broker', labelNames: ['account', 'kind', 'status'] });
  const refusals = new Counter({ ...r, name: 'ita_governor_refusals_total', help: 'Risk governor refusals by rule', labelNames: ['rule'] });
  const feedLag = new Gauge({ ...r, name: 'ita_feed_lag_seconds', help: 'Now minus the close time of the last candle received', labelNames: ['market'] });
  const feedHealthy = new Gauge({ ...r, name: 'ita_feed_healthy', help: '1 when the market feed is healthy, 0 when stale or gapped', labelNames: ['market'] });
  const regime = new Gauge({ ...r, name: 'ita_regime', help: '1 for the current regime label of a market', labelNames: ['market', 'regime'] });
  const dailyLock = new Gauge({ ...r, name: 'ita_daily_loss_lock', help: '1 while the daily loss lock blocks new entries' });
  const killSwitch = new Gauge({ ...r, name: 'ita_kill_switch_tripped', help: '1 while the kill switch is tripped' });
  const openRisk = new Gauge({ ...r, name: 'ita_open_risk_ratio', help: 'Risk of all open positions as a fraction of equity' });
  const equity = new Gauge({ ...r, name: 'ita_equity_quote', help: 'Mark-to-market equity of the account in the quote currency', labelNames: ['account'] });
  const llmSpend = new Gauge({ ...r, name: 'ita_llm_spend_usd_today', help: 'LLM spend today (UTC) in USD' });
  const queueDepth = new Gauge({ ...r, name: 'ita_queue_depth', help: 'Jobs or messages waiting', labelNames: ['queue'] });
  // Shown from the start: "jobs" counts the backtests running in this process until a job queue reports its own depth.
  queueDepth.set({ queue: 'jobs' }, 0);
  const healthGate = new Gauge({ ...r, name: 'ita_health_gate_open', help: '1 while a health gate (stale feed, gap, clock skew) pauses new entries', labelNames: ['gate', 'scope'] });
  const regimeLabels = new Map<string, string>();
  const scrapeHooks: (() => Promise<void> | void)[] = [];
    return {
    registry,
    delivered: (latencyMs: number) => deliveryLatency.observe(latencyMs / 1000),
    signal: (setup: string, outcome: string) => signals.inc({ setup, outcome }),
    decision: (decision: string) => decisions.inc({ decision }),
    order: (account: string, kind: string, status: string) => orders.inc({ account, kind, status }),
    refusal: (rule: string) => refusals.inc({ rule }),
    feed: (market: string, lagMs: number, healthy: boolean) => {
      feedLag.set({ market }, Math.max(0, lagMs) / 1000);
      feedHealthy.set({ market }, healthy ? 1 : 0);
    },
    regime: (market: string, label: string) => {
      const before = regimeLabels.get(market);
      if (before !== undefined && before !== label) regime.remove({ market, regime: before });
      regimeLabels.set(market, label);
      regime.set({ market, regime: label }, 1);
    },
    governor: (state: { dailyLock: boolean; killSwitch: boolean; openRiskRatio: number }) => {
      dailyLock.set(state.dailyLock ? 1 : 0);
      killSwitch.set(state.killSwitch ? 1 : 0);
      openRisk.set(state.openRiskRatio);
    },
    healthGate: (gate: string, scope: string, open: boolean) => healthGate.set({ gate, scope }, open ? 1 : 0),
    equity: (account: string, value: number) => equity.set({ account }, value),
    llmSpend: (usd: number) => llmSpend.set(usd),
    queue: (queue: string, depth: number) => queueDepth.set({ queue }, depth),
    /** One more (+1) or one less (-1) job of `queue` in progress. */
    job: (queue: string, delta: 1 | -1) => queueDepth.inc({ queue }, delta),
    /** Values read at scrape time (e.g. from the database), so they are fresh without anyone pushing them. */
    onScrape(collect: () => Promise<void> | void) {
      scrapeHooks.push(collect);
    },
    async text(): Promise<string> {
      for (const hook of scrapeHooks) await hook();
      return registry.metrics();
    },
  };
}

export type ItaMetrics = ReturnType<typeof createMetrics>;
