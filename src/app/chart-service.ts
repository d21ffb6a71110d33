/**
 * The bot's `charts` service: a signal's annotated chart, and a market's chart "now" (the latest stored candles with
 * the patterns the detector sees). Candles come from the candle store; nothing here fetches from an exchange.
 */
import type { Kysely } from 'kysely';
import type { BotServices } from '../bot/services.ts';
import type { Database } from '../engine/store/schema.ts';
import type { Candle, MarketKey, Signal } from '../engine/types.ts';
import { getCandles, getLatestCandles } from '../engine/store/candles.ts';
import { renderSignalChart } from '../engine/charts/signal-chart.ts';
import { keepAnnotationsOfSetup } from '../engine/charts/annotation-filter.ts';
import { buildSignalChartSpec, buildMarketChartSpec } from '../engine/signals/chart-spec.ts';
import type { Setup } from '../engine/setups/loader.ts';
import { timeframeMs } from '../engine/market/timeframes.ts';
import { InputError } from '../engine/errors.ts';

/** Enough history for indicators (EMA 200) and pattern state to exist at the chart's left edge. */
const HISTORY = 520;

export function createChartService(db: Kysely<Database>, setups: () => readonly Setup[]): BotServices['charts'] {
  const candlesUpTo = async (market: MarketKey, ts: number): Promise<Candle[]> =>
    getCandles(db, market, { from: ts - HISTORY * timeframeMs(market.timeframe), to: ts });
  return {
    async signal(signal: Signal) {
      const market = { exchange: signal.exchange, symbol: signal.symbol, timeframe: signal.timeframe };
      const candles = await candlesUpTo(market, signal.ts);
      const setup = setups().find((s) => s.id === signal.setupId && s.version === signal.setupVersion) ?? setups().find((s) => s.id === signal.setupId);
      return (await renderSignalChart(keepAnnotationsOfSetup(buildSignalChartSpec(signal, candles, setup), setup))).png;
    },
    async market(market: MarketKey, at?: number) {
      // As of the run's clock: in a bar replay the stored sample runs ahead, and the chart must not show that future.
      const candles = at === undefined
        ? await getLatestCandles(db, market, HISTORY)
        : await getCandles(db, market, { from: at - (HISTORY + 1) * timeframeMs(market.timeframe), to: at - timeframeMs(market.timeframe) });
      if (candles.length < 20) {
        throw new InputError(`not enough stored candles for ${market.symbol} ${market.timeframe} on ${market.exchange} (have ${candles.length}); /watch it first`, {
          field: 'market',
        });
      }
      return (await renderSignalChart(buildMarketChartSpec(market, candles))).png;
    },
  };
}
