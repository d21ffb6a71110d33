/**
 * One setup over one candle file, end to end: the detector (with the regime gate) finds the setup's signals, each gets
 * its triple-barrier outcome with the setup's own management and the account's costs, and the success model is
 * validated out of sample. What `ita eval ml` runs.
 */
import type { Candle, CostModel, MarketKey, Signal, Timeframe } from '../types.ts';
import type { Setup } from '../setups/loader.ts';
import { InputError } from '../errors.ts';
import { timeframeMs } from '../market/timeframes.ts';
import { resampleCandles } from '../market/resample.ts';
import { DEFAULT_COST_MODEL, signalCosts } from '../signals/costs.ts';
import { detectSignalsWithRegimes } from '../regime/detect.ts';
import { buildSamples, evaluateMetaModel, type MetaModelOptions, type MetaModelReport, type Sample } from './meta-model.ts';

export interface SetupEvalInput {
  candles: readonly Candle[];
  /** Timeframe of `candles`; resampled up to the setup's timeframe when that is higher. */
  timeframe: Timeframe;
  setup: Setup;
  exchange?: string;
  symbol?: string;
  costs?: CostModel;
  horizonBars?: number;
  model?: MetaModelOptions;
}

export interface SetupEvalResult {
  report: MetaModelReport;
  signals: Signal[];
  samples: Sample[];
  /** Signals the setup's regime enable map refused. */
  droppedByRegime: number;
  horizonBars: number;
}

export function evaluateSetupOnCandles(input: SetupEvalInput): SetupEvalResult {
  const { setup } = input;
  if (timeframeMs(setup.timeframe) % timeframeMs(input.timeframe) !== 0) {
    throw new InputError(`setup ${setup.id} runs on ${setup.timeframe}, which cannot be built from ${input.timeframe} candles`, { field: 'tf', value: input.timeframe });
  }
  const candles = setup.timeframe === input.timeframe ? [...input.candles] : resampleCandles([...input.candles], input.timeframe, setup.timeframe);
  const market: MarketKey = { exchange: input.exchange ?? 'binance', symbol: input.symbol ?? 'BTC/USDT', timeframe: setup.timeframe };
  const costs = input.costs ?? DEFAULT_COST_MODEL;
  const { signals, dropped } = detectSignalsWithRegimes(candles, { market, setups: [setup] });
  for (const s of signals) s.costs ??= signalCosts(s, costs);
  const horizonBars = input.horizonBars ?? setup.management.time_stop_bars ?? 48;
  const samples = buildSamples(signals, candles, {
    costs,
    horizonBars,
    breakEvenAtR: setup.management.break_even_r,
    trailAtrMultiple: setup.management.trail_atr,
  });
  const report = evaluateMetaModel(samples, {
    ...input.model,
    assumptions: {
      outcome: `triple barrier: the signal's stop and targets, time limit ${horizonBars} candles${setup.management.break_even_r ? `, break-even after ${setup.management.break_even_r} R` : ''}${setup.management.trail_atr ? `, trail ${setup.management.trail_atr} × ATR after the first target` : ''}; the backtester's fill rules, stop first when both touch in one candle`,
      costs: `maker ${costs.makerFee * 100} %, taker ${costs.takerFee * 100} % per side, slippage ${costs.slippage * 100} % on market and stop fills`,
      ...input.model?.assumptions,
    },
  });
  return { report, signals, samples, droppedByRegime: dropped.length, horizonBars };
}
