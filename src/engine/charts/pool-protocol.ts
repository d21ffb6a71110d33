/** Messages between the chart pool and its render threads (structured-clone data only: specs are plain data). */
import type { ChartLayout } from './signal-chart.ts';
import type { EquityChartSpec, SignalChartSpec } from './spec.ts';
import type { SignalCardInput } from '../signals/chart-spec.ts';

export type RenderRequest =
  | { id: number; kind: 'signal'; spec: SignalChartSpec }
  | { id: number; kind: 'signal-card'; input: SignalCardInput }
  | { id: number; kind: 'equity'; spec: EquityChartSpec };

export type RenderResponse =
  | { id: number; png: Uint8Array; width: number; height: number; layout: ChartLayout }
  | { id: number; error: { name: string; message: string } };
