/**
 * The signal card as a phone shows it: the chart PNG (as the bot's chart service renders it: the setup's own
 * annotations only) at 390 CSS px in headless Chromium, with the caption and buttons under it. The chart must be
 * portrait or square, every label on it at least 11 px tall on that screen and no two labels overlapping; the caption
 * must fit Telegram's limit and read one fact per line. Screenshots land in the temp dir (path printed) for a look.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { renderSignalChart } from '../../src/engine/charts/signal-chart.ts';
import { keepAnnotationsOfSetup } from '../../src/engine/charts/annotation-filter.ts';
import { PHONE_VIEW_WIDTH } from '../../src/engine/charts/theme.ts';
import { signalCaption, signalKeyboard, visibleLength } from '../../src/bot/signals/signal-message.ts';
import { signalCardFixture } from '../helpers/signal-card-fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const MIN_LABEL_PX = 11;

let browser: Browser;
const dir = mkdtempSync(path.join(os.tmpdir(), 'ita-signal-card-'));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (!process.env.ITA_KEEP_SCREENSHOTS) rmSync(dir, { recursive: true, force: true });
});

/** Roughly Telegram's chat bubble: the photo edge to edge, the caption under it, the inline keyboard below. */
function phonePage(png: Buffer, caption: string, buttons: string[][]): string {
  const rows = buttons.map((row) => `<div class="row">${row.map((b) => `<div class="btn">${b}</div>`).join('')}</div>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; background: #dfe7ee; font: 16px/1.35 "DejaVu Sans", sans-serif; }
    .bubble { width: ${PHONE_VIEW_WIDTH}px; background: #fff; }
    img { display: block; width: 100%; }
    .caption { padding: 6px 10px 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
    .row { display: flex; gap: 4px; margin-top: 4px; } .btn { flex: 1; background: #6d8fb0; color: #fff; text-align: center; padding: 9px 4px; border-radius: 6px; font-size: 14px; }
  </style></head><body><div class="bubble"><img id="chart" src="data:image/png;base64,${png.toString('base64')}"><div class="caption" id="caption">${caption}</div></div>${rows}</body></html>`;
}

function overlaps(a: { left: number; top: number; width: number; height: number }, b: typeof a): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

describe('the signal card on a 390 px phone screen', () => {
  for (const setupId of ['london_breakout', 'fvg_retrace', 'sweep_choch', 'ema_cross']) {
    it(`${setupId}: portrait chart, labels ≥ ${MIN_LABEL_PX} px and apart, caption within the limit`, async () => {
      const { spec, setup, signal } = signalCardFixture(setupId);
      const chart = await renderSignalChart(keepAnnotationsOfSetup(spec, setup));
      expect(chart.height).toBeGreaterThanOrEqual(chart.width);
      const labels = chart.labels ?? [];
      expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^Entry /), expect.stringMatching(/^SL /), expect.stringMatching(/^TP3 /)]));
      for (const [i, a] of labels.entries()) {
        for (const b of labels.slice(i + 1)) expect(overlaps(a, b), `"${a.text}" overlaps "${b.text}"`).toBe(false);
        // Inside the plot: nothing collides with the header or runs off the edge.
        expect(a.top, a.text).toBeGreaterThanOrEqual(chart.layout.chartArea.top - 1);
        expect(a.top + a.height, a.text).toBeLessThanOrEqual(chart.layout.chartArea.bottom + 1);
      }

      const caption = signalCaption({ signal, language: 'ru', timeZone: 'Europe/Moscow', stats: { trades: 38, winRate: 0.47, expectancyR: 0.31 }, comment: 'Theory: the London open often takes out the Asian range before the real move; wait for the retest.' });
      expect(visibleLength(caption)).toBeLessThanOrEqual(1024);
      const keyboard = signalKeyboard('abcdefghij', 'ru').inline_keyboard.map((row) => row.map((b) => b.text));

      const page = await browser.newPage({ viewport: { width: PHONE_VIEW_WIDTH, height: 844 }, deviceScaleFactor: 2 });
      try {
        await page.setContent(phonePage(chart.png, caption, keyboard));
        await page.waitForFunction("document.getElementById('chart').complete");
        const shown = (await page.evaluate(`(() => {
          const img = document.getElementById('chart');
          return { width: img.clientWidth, natural: img.naturalWidth, captionLines: document.getElementById('caption').innerText.split('\\n').length };
        })()`)) as { width: number; natural: number; captionLines: number };
        expect(shown.width).toBe(PHONE_VIEW_WIDTH);
        const scale = shown.width / shown.natural;
        const smallest = Math.min(...labels.map((l) => l.fontSize));
        expect(smallest * scale, `smallest label ${smallest} px in the PNG`).toBeGreaterThanOrEqual(MIN_LABEL_PX);
        expect(shown.captionLines).toBeLessThanOrEqual(12);
        const file = path.join(dir, `${setupId}.png`);
        writeFileSync(file, await page.screenshot({ fullPage: true }));
        expect(statSync(file).size).toBeGreaterThan(20_000);
        if (process.env.ITA_KEEP_SCREENSHOTS) console.log(`signal card screenshot: ${file}`);
      } finally {
        await page.close();
      }
    }, 30_000);
  }
});
