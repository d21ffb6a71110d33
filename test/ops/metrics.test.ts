import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.ts';
import { startMetricsServer, type MetricsServer } from '../../src/ops/metrics-server.ts';
import { countBacktestJobs, liveEventRecorder } from '../../src/app/metrics-wiring.ts';
import type { Signal } from '../../src/engine/types.ts';

/** The value of one sample line, e.g. `ita_signals_total{setup="x",outcome="pushed"} 2`. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('Prometheus endpoint', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves what the recorders wrote in the Prometheus text format over HTTP', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.delivered(420);
    metrics.delivered(1700);
    metrics.signal('ema_cross', 'pushed');
    metrics.signal('ema_cross', 'pushed');
    metrics.signal('fvg_retrace', 'filtered-cost');
    metrics.refusal('daily-loss');
    metrics.regime('binance:BTC/USDT:1h', 'trend_up');
    metrics.regime('binance:BTC/USDT:1h', 'range_lowvol');
    metrics.governor({ dailyLock: true, killSwitch: false, openRiskRatio: 0.012 });
    let spend = 0.25;
    metrics.onScrape(() => metrics.llmSpend(spend));
    server = await startMetricsServer(metrics, { port: 0 });

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'ita_signal_delivery_seconds_count')).toBe(2);
    expect(sample(text, 'ita_signal_delivery_seconds_bucket', '{le="0.5"}')).toBe(1);
    expect(sample(text, 'ita_signal_delivery_seconds_bucket', '{le="2.5"}')).toBe(2);
    expect(sample(text, 'ita_signals_total', '{setup="ema_cross",outcome="pushed"}')).toBe(2);
    expect(sample(text, 'ita_governor_refusals_total', '{rule="daily-loss"}')).toBe(1);
    // A market has one regime at a time: the previous label's series is gone.
    expect(sample(text, 'ita_regime', '{market="binance:BTC/USDT:1h",regime="range_lowvol"}')).toBe(1);
    expect(text).not.toContain('regime="trend_up"');
    expect(sample(text, 'ita_daily_loss_lock')).toBe(1);
    expect(sample(text, 'ita_open_risk_ratio')).toBe(0.012);
    expect(sample(text, 'ita_llm_spend_usd_today')).toBe(0.25);
    spend = 0.5;
    expect(sample(await (await fetch(server.url)).text(), 'ita_llm_spend_usd_today')).toBe(0.5);
  });

  it('a dropped delivery counts under the setup of the signal it failed to deliver', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const record = liveEventRecorder(metrics);
    const signal = { id: 'sig-1', setupId: 'ema_cross' } as Signal;
    record({ type: 'signal', signal, queued: true }, 0);
    record({ type: 'delivery-failed', signalId: 'sig-1', chatId: 1, error: '403 Forbidden: bot was blocked by the user', attempts: 5, final: true }, 0);
    const text = await metrics.text();
    expect(sample(text, 'ita_signals_total', '{setup="ema_cross",outcome="pushed"}')).toBe(1);
    expect(sample(text, 'ita_signals_total', '{setup="ema_cross",outcome="dropped"}')).toBe(1);
    expect(text).not.toContain('setup="delivery"');
  });

  it('a replayed feed\'s delivery latency is wall-clock time from the replayed close, not its fast replay clock', async () => {
    const market = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '15m' as const };
    const signal = { id: 'sig-2', setupId: 'ema_cross', ...market } as Signal;
    const candle = { ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    const delivered = { type: 'delivered' as const, signalId: 'sig-2', chatId: 1, messageId: 7, attempts: 1, latencyMs: 3 * 3_600_000 };
    const run = async (replayed: boolean) => {
      const metrics = createMetrics({ processMetrics: false });
      let wall = 1_000;
      const record = liveEventRecorder(metrics, { replayed, wallClock: () => wall });
      record({ type: 'candle', market, candle, backfilled: false }, 0);
      record({ type: 'signal', signal, queued: true }, 0);
      wall = 1_400;
      record(delivered, 0);
      return sample(await metrics.text(), 'ita_signal_delivery_seconds_sum');
    };
    // 400 ms of wall time while the replay's clock moved three hours.
    expect(await run(true)).toBeCloseTo(0.4, 9);
    expect(await run(false)).toBe(3 * 3600);
  });

  it('shows the job queue depth from the start (0) and counts backtests running in this process', async () => {
    const metrics = createMetrics({ processMetrics: false });
    expect(sample(await metrics.text(), 'ita_queue_depth', '{queue="jobs"}')).toBe(0);
    const finish: ((value: string) => void)[] = [];
    const service = countBacktestJobs(metrics, { run: () => new Promise<string>((resolve) => finish.push(resolve)), markets: async () => [] });
    const first = service.run();
    const second = service.run();
    expect(sample(await metrics.text(), 'ita_queue_depth', '{queue="jobs"}')).toBe(2);
    finish[1]('second');
    expect(await second).toBe('second');
    expect(sample(await metrics.text(), 'ita_queue_depth', '{queue="jobs"}')).toBe(1);
    finish[0]('first');
    expect(await first).toBe('first');
    expect(sample(await metrics.text(), 'ita_queue_depth', '{queue="jobs"}')).toBe(0);
  });

  it('answers 404 for anything but GET /metrics', async () => {
    server = await startMetricsServer(createMetrics({ processMetrics: false }), { port: 0 });
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
  });
});

describe('the shipped Grafana dashboard', () => {
  it('queries only series ITA exports, and shows every one of them', async () => {
    const { readFileSync } = await import('node:fs');
    const { ROOT } = await import('../helpers/candles.ts');
    const dashboard = JSON.parse(readFileSync(`${ROOT}/ops/grafana-dashboard.json`, 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\bita_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')))));
    const metrics = createMetrics({ processMetrics: false });
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect([...exported].filter((name) => !used.has(name))).toEqual([]);
  });
});
