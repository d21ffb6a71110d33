/**
 * Warm Chart.js renderers, one per PNG size. Creating a ChartJSNodeCanvas loads a fresh CommonJS chart.js, which
 * costs far more than a render, so instances are kept for the life of the process.
 */
import { existsSync } from 'node:fs';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartConfiguration } from 'chart.js';
import { Chart as EsmChart } from 'chart.js';
import { CandlestickController, CandlestickElement } from 'chartjs-chart-financial/dist/chartjs-chart-financial.esm.js';
import { ConfigError } from '../errors.ts';
import { COLORS, FONT_BOLD_PATH, FONT_FAMILY, FONT_REGULAR_PATH, FONT_SIZE } from './theme.ts';

/**
 * The financial plugin's ESM classes extend the ESM chart.js, while chartjs-node-canvas renders with its own
 * CommonJS copy. `Chart.register` of that copy files them as plugins (its instanceof check fails), so they are
 * added to its typed registries directly. The plugin also reads default colours from the ESM copy's defaults
 * while drawing, so it is registered there too.
 */
EsmChart.register(CandlestickController, CandlestickElement);

const renderers = new Map<string, ChartJSNodeCanvas>();
let fontRegistered = false;

type CommonJsChart = Parameters<NonNullable<ConstructorParameters<typeof ChartJSNodeCanvas>[0]['chartCallback']>>[0];

function configureChartJs(chartJs: CommonJsChart): void {
  const registry = (chartJs as unknown as { registry: { addControllers(...items: unknown[]): void; addElements(...items: unknown[]): void } }).registry;
  registry.addControllers(CandlestickController);
  registry.addElements(CandlestickElement);
  chartJs.defaults.font.family = FONT_FAMILY;
  chartJs.defaults.font.size = FONT_SIZE.tick;
  chartJs.defaults.color = COLORS.text;
  chartJs.defaults.devicePixelRatio = 1;
  chartJs.defaults.animation = false;
}

function rendererFor(width: number, height: number): ChartJSNodeCanvas {
  const key = `${width}x${height}`;
  let renderer = renderers.get(key);
  if (!renderer) {
    renderer = new ChartJSNodeCanvas({ width, height, backgroundColour: COLORS.background, chartCallback: configureChartJs });
    if (!fontRegistered) {
      // Registered once per process and before the first canvas exists (node-canvas requirement); an explicit
      // font file makes Cyrillic setup names render identically on every host.
      for (const path of [FONT_REGULAR_PATH, FONT_BOLD_PATH]) {
        if (!existsSync(path)) throw new ConfigError(`chart font not found: ${path} (install fonts-dejavu-core)`, { file: path });
      }
      renderer.registerFont(FONT_REGULAR_PATH, { family: FONT_FAMILY });
      renderer.registerFont(FONT_BOLD_PATH, { family: FONT_FAMILY, weight: 'bold' });
      fontRegistered = true;
    }
    renderers.set(key, renderer);
  }
  return renderer;
}

/**
 * PNG encoding settings. libpng's default tries every row filter on every row and keeps the best, which on an
 * 800x960 signal chart took 62 ms of a ~150 ms render (measured here, load 8); charts are large flat areas and thin
 * lines, which deflate compresses well without filtering. No filter at zlib level 1 encoded the same chart in 11 ms
 * into 107 KB (the filtered level-3 file was 111 KB). PNG is lossless: the pixels are exactly the same.
 */
const PNG_COMPRESSION_LEVEL = 1;
/** libpng's PNG_FILTER_NONE (node-canvas passes the flags through). */
const PNG_FILTER_NONE = 0x08;

interface RenderedCanvas {
  canvas: { toBuffer(callback: (error: Error | null, png: Buffer) => void, mime: 'image/png', options: { compressionLevel: number; filters: number }): void } | null;
  destroy(): void;
}

/** Renders a Chart.js configuration to PNG bytes. The configuration may use the 'candlestick' chart type. */
export function renderPng(width: number, height: number, config: unknown): Promise<Buffer> {
  const renderer = rendererFor(width, height);
  // chartjs-node-canvas's renderToBuffer takes no encoder options; its (TypeScript-private) renderChart is what
  // renderToBuffer itself calls. If a release drops it, fall back to the public call at the default level.
  const renderChart = (renderer as unknown as { renderChart?: (c: unknown) => RenderedCanvas }).renderChart;
  if (typeof renderChart !== 'function') return renderer.renderToBuffer(config as ChartConfiguration, 'image/png');
  const chart = renderChart.call(renderer, config);
  return new Promise((resolve, reject) => {
    if (!chart.canvas) {
      chart.destroy();
      return reject(new Error('chart render produced no canvas'));
    }
    chart.canvas.toBuffer((error, png) => {
      chart.destroy();
      if (error) reject(error);
      else resolve(png);
    }, 'image/png', { compressionLevel: PNG_COMPRESSION_LEVEL, filters: PNG_FILTER_NONE });
  });
}
