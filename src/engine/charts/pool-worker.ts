/**
 * One chart render thread: the same entry points as in-thread rendering (renderSignalChart, renderEquityChart), so
 * a PNG from here is byte-for-byte the one the main thread would make. Chart.js, node-canvas and the chart font are
 * loaded (and the font registered) once per thread, on its first render.
 */
import { parentPort } from 'node:worker_threads';
import { renderSignalChart } from './signal-chart.ts';
import { renderEquityChart } from './equity-chart.ts';
import { signalCardSpec } from '../signals/chart-spec.ts';
import type { RenderRequest, RenderResponse } from './pool-protocol.ts';

/** Renders one request and answers it on `port`; never throws (a failed render is an answer too). */
export async function answerRenderRequest(request: RenderRequest, port = parentPort!): Promise<void> {
  let response: RenderResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    const chart = request.kind === 'signal' ? await renderSignalChart(request.spec)
      : request.kind === 'signal-card' ? await renderSignalChart(signalCardSpec(request.input))
      : await renderEquityChart(request.spec);
    // A fresh copy owns its memory, so it can be moved to the main thread instead of cloned.
    const png = new Uint8Array(chart.png);
    transfer.push(png.buffer);
    response = { id: request.id, png, width: chart.width, height: chart.height, layout: chart.layout };
  } catch (error) {
    const e = error as Error;
    response = { id: request.id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(error) } };
  }
  port.postMessage(response, transfer);
}
