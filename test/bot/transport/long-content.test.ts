/**
 * Long content through the real bot and the emulator, which refuses what Telegram refuses (length after entity
 * parsing, HTML rules, callback data size): 100 documents, 100 setups, 100 watched markets, 60 setups in /pnl,
 * a 60-window walk-forward and the longest Russian signal. Every request must be accepted, every item shown once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startIta, plain, type ItaHarness } from '../harness.ts';
import { sampleSignal, SETUP } from '../fake-services.ts';
import { installExecutionFeature } from '../../../src/bot/execution/index.ts';
import { createFakeExecutor, DAY_PNL } from '../execution/fake-executor.ts';
import { walkForwardSummary } from '../../../src/engine/backtest/service/summary.ts';
import type { WalkForwardResult } from '../../../src/engine/backtest/walk-forward.ts';
import { solidPng } from '../../helpers/bot-api-client.ts';
import type { TranscriptMessage } from '../../../src/bot/emulator/index.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const data = (m: TranscriptMessage) => m.reply_markup?.inline_keyboard?.flat().map((b) => b.callback_data ?? '') ?? [];

/** Presses ▶ until the last page; returns the text of every page. */
async function allPages(first: TranscriptMessage): Promise<string[]> {
  const pages = [plain(first)];
  let current = first;
  for (let guard = 0; guard < 50; guard += 1) {
    const next = data(current).find((d, i, all) => i === all.length - 1 && d.startsWith('pg:') && current.reply_markup!.inline_keyboard!.flat()[i].text === '▶');
    if (!next) break;
    const before = current.edit_date ?? 0;
    const text = current.text;
    h!.emulator.userPressButton(current.message_id, next);
    current = await h!.emulator.waitFor(() => h!.emulator.messages(h!.ownerId).find((m) => m.message_id === first.message_id && m.text !== text), 5000, 'next page');
    expect(current.edit_date ?? 0).toBeGreaterThanOrEqual(before);
    pages.push(plain(current));
  }
  return pages;
}

function expectEachOnce(pages: string[], names: string[]): void {
  const all = pages.join('\n');
  for (const name of names) expect(all.split(name).length - 1, name).toBe(1);
}

describe('long content within Telegram limits', () => {
  it('/docs with 100 documents, /setups with 100 setups and /watchlist with 100 markets are paged', async () => {
    h = await startIta();
    const docNames = Array.from({ length: 100 }, (_, i) => `Торговая теория часть ${String(i).padStart(3, '0')} — очень длинное название документа.pdf`);
    h.fakes.services.knowledge!.list = async () => docNames.map((name, i) => ({ id: i + 1, name, pages: 120, chunks: 400, addedAt: Date.UTC(2024, 6, 1) }));
    const setupIds = Array.from({ length: 100 }, (_, i) => `setup_${String(i).padStart(3, '0')}`);
    h.fakes.services.setups.list = async () => setupIds.map((id) => ({ ...SETUP, id, name: `Ретест ордер-блока после слома структуры ${id}` }));
    const markets = Array.from({ length: 100 }, (_, i) => ({ exchange: 'binance', symbol: `C${String(i).padStart(3, '0')}/USDT`, timeframe: '1h' as const, addedAt: 0, lastCandleTs: Date.UTC(2024, 6, 1) }));
    h.fakes.services.watchlist.list = async () => markets;

    const docs = await allPages(await h.say('/docs'));
    expect(docs.length).toBeGreaterThan(1);
    expectEachOnce(docs, docNames);
    const setups = await allPages(await h.say('/setups'));
    expect(setups.length).toBeGreaterThan(1);
    expectEachOnce(setups, setupIds.map((id) => `${id} Ретест`));
    const watched = await allPages(await h.say('/watchlist'));
    expectEachOnce(watched, markets.map((m) => m.symbol));
    expect(h.emulator.refusals).toEqual([]);
    expect(h.emulator.unansweredPresses).toEqual([]);
  });

  it('a page button pressed after the list changed shows the last page that exists', async () => {
    h = await startIta();
    let count = 100;
    h.fakes.services.setups.list = async () => Array.from({ length: count }, (_, i) => ({ ...SETUP, id: `s${i}`, name: `Setup number ${i} with a long descriptive name` }));
    const first = await h.say('/setups');
    const next = data(first).find((d) => d.startsWith('pg:setups:1'))!;
    count = 3;
    h.emulator.userPressButton(first.message_id, next);
    const edited = await h.emulator.waitFor(() => h!.emulator.messages(h!.ownerId).find((m) => m.message_id === first.message_id && m.edit_date));
    expect(plain(edited)).toContain('s2 Setup number 2');
    expect(edited.reply_markup).toBeUndefined();
    expect(h.emulator.refusals).toEqual([]);
  });

  it('/pnl with 60 setups is paged', async () => {
    h = await startIta();
    const executor = createFakeExecutor();
    const bySetup = Array.from({ length: 60 }, (_, i) => ({ setupId: `liquidity_sweep_choch_retest_${String(i).padStart(2, '0')}`, trades: 12, realized: 1234.56, realizedR: 3.4, unrealized: -56.78 }));
    executor.pnl = async () => ({ ...DAY_PNL, bySetup });
    installExecutionFeature(h.ita, executor, { timeZone: 'UTC' });
    const pages = await allPages(await h.say('/pnl week'));
    expect(pages.length).toBeGreaterThan(1);
    expectEachOnce(pages, bySetup.map((s) => s.setupId));
    expect(h.emulator.refusals).toEqual([]);
  });

  it('a 60-window walk-forward: a summary that fits, windows.csv, and equity.png + trades.csv always sent', async () => {
    h = await startIta();
    const day = 86_400_000;
    const result: WalkForwardResult = {
      windows: Array.from({ length: 60 }, (_, i) => ({
        window: { index: i, train: { start: Date.UTC(2017, 0, 1) + i * 30 * day, end: Date.UTC(2017, 0, 1) + (i + 3) * 30 * day }, test: { start: Date.UTC(2017, 3, 1) + i * 30 * day, end: Date.UTC(2017, 4, 1) + i * 30 * day } },
        stats: { trades: 7, returnPct: i % 3 === 0 ? -1.23 : 4.56, sharpe: 1.1, maxDrawdownPct: -3.21, winRatePct: 57.1 },
      })) as unknown as WalkForwardResult['windows'],
      aggregate: { windows: 60, positiveShare: 0.66, compoundedReturnPct: 120.5, meanSharpe: 1.1, sharpeStd: 0.4, worstDrawdownPct: -9.9, trades: 420, consistency: 0.47 },
    };
    const summary = [...walkForwardSummary(result, 'rolling, 3 months train / 1 month test'), 'Backtest ob-retest on binance BTC/USDT 4h: 13000 candles'];
    expect(summary.join('\n').length).toBeGreaterThan(4096);
    h.fakes.services.backtest!.run = async () => ({ summary, equityPng: solidPng(8, 4, [0, 0, 0]), tradesCsv: Buffer.from('entry_ts,exit_ts,r\n') });
    const started = await h.say('/backtest ob-retest BTC/USDT 4h');
    const files = await h.emulator.waitFor(() => {
      const names = h!.botMessages().filter((m) => m.message_id > started.message_id).map((m) => m.document?.file_name ?? (m.photo ? 'photo' : ''));
      return names.includes('windows.csv') && names.includes('trades.csv') && names.includes('photo') ? names : undefined;
    }, 8000, 'backtest files');
    expect(files).toEqual(expect.arrayContaining(['photo', 'trades.csv', 'windows.csv']));
    const text = h.botMessages().find((m) => m.text?.includes('windows.csv'))!;
    expect(plain(text)).toContain('Walk-forward: 60 test window(s)');
    expect(plain(text)).toContain('Compounded return');
    const csv = h.emulator.file(h.botMessages().find((m) => m.document?.file_name === 'windows.csv')!.document!.file_id)!.bytes.toString('utf8').trim().split('\n');
    expect(csv).toHaveLength(61);
    expect(csv[0]).toBe('#,test window,trades,return,sharpe,max DD,win rate');
    expect(csv[1].split(',')).toEqual(['1', '2017-04-01..2017-05-01', '7', '-1.23 %', '1.10', '-3.21 %', '57.1 %']);
    expect(h.emulator.refusals).toEqual([]);
  });

  it('the longest Russian signal: the caption fits 1,024 after entity parsing and parses', async () => {
    h = await startIta();
    const long = 'Очень длинное обоснование <с угловыми скобками> & амперсандами, которое повторяется снова и снова. ';
    const signal = sampleSignal({
      setupName: 'Ретест ордер-блока после снятия ликвидности азиатской сессии и слома структуры на старшем таймфрейме',
      reasons: { strengths: Array.from({ length: 8 }, () => long.repeat(2)), weaknesses: Array.from({ length: 8 }, () => long.repeat(2)) },
    });
    h.fakes.signals.set(signal.id, signal);
    const { messageId } = await h.ita.sendSignal(h.ownerId, signal, solidPng(8, 6, [0, 100, 0]), long.repeat(20));
    const message = h.emulator.messages(h.ownerId).find((m) => m.message_id === messageId)!;
    expect(plain(message).length).toBeLessThanOrEqual(1024);
    expect(h.emulator.refusals).toEqual([]);
  });
});
