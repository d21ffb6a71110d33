/** Chart rendering: annotated signal candlesticks and backtest equity curves as PNG bytes (knows nothing of Telegram). */
export { renderSignalChart, priceToPixelY, valueToPixelX, type ChartLayout, type AxisLayout, type RenderedChart } from './signal-chart.ts';
export { renderEquityChart, drawdownPercent, summarizeEquity, type EquitySummary } from './equity-chart.ts';
export { priceDecimals, formatPrice } from './format.ts';
export type {
  SignalChartSpec, ChartTitle, ChartLine, ChartZone, ChartLevel, ChartSession, ChartSignal, ZoneKind,
  EquityChartSpec, EquityPoint,
} from './spec.ts';
