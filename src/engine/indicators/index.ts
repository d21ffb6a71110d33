/**
 * Indicators: TA-Lib-exact streaming and batch implementations behind one spec notation.
 * See spec.ts for the spec forms, types.ts for the conventions (NaN = no value yet).
 */
export { parseIndicatorSpec, outputNames, outputWarmups, ALLOWED_FORMS, type IndicatorSpec } from './spec.ts';
export { createIndicator } from './streaming.ts';
export { computeIndicator } from './batch.ts';
export { toSeries, type CandleSeries, type IndicatorArrays, type StreamingIndicator } from './types.ts';
// Kernels for code that wants raw numbers without the spec layer (detectors, pattern code).
export { SmaKernel, EmaKernel, WmaKernel } from './moving-averages.ts';
export { RsiKernel, MacdKernel } from './momentum.ts';
export { TrueRangeKernel, AtrKernel, BollingerKernel, HistoricalVolatilityKernel } from './volatility.ts';
export { AdxKernel, LinRegSlopeKernel } from './trend.ts';
export { StochasticKernel, FastStochasticKernel, DonchianKernel } from './channels.ts';
export { VolumeZScoreKernel, VwapKernel, type VwapAnchor } from './volume.ts';
export { RollingQuantileKernel } from './statistics.ts';
export { RollingExtreme, RollingMoments } from './rolling.ts';
