/** The signal card's texts without Telegram: rounding in Details, the caption limit as Telegram counts it, comment cuts. */
import { describe, expect, it } from 'vitest';
import { contextLines, readableNumber } from '../../../src/bot/signals/signal-details.ts';
import { signalCaption, shorten, visibleLength } from '../../../src/bot/signals/signal-message.ts';
import { sampleSignal } from '../fake-services.ts';

describe('signal card texts', () => {
  it('rounds and labels the context (no raw floats)', () => {
    expect(readableNumber(269.1715533557564)).toBe('269.17');
    expect(readableNumber(62850.123456)).toBe('62850.12');
    expect(readableNumber(0.000123456789)).toBe('0.00012346');
    expect(contextLines({ atr: 269.1715533557564, close: 62850.5, structure: 'bearish', ema_fast: 61234.98765 }, 'ru')).toEqual([
      'ATR: <b>269.17</b>', 'Закрытие: <b>62850.5</b>', 'Структура: <b>медвежья</b>', '<code>ema_fast</code>: <b>61234.99</b>',
    ]);
  });

  it('keeps the longest Russian signal within 1,024 visible characters without cutting HTML', () => {
    const longest = sampleSignal({
      setupName: 'Ретест бычьего ордер-блока после слома структуры на старшем таймфрейме',
      reasons: { strengths: Array(20).fill('Слом структуры вверх на 4h и снятие ликвидности под азиатским минимумом <важно>'), weaknesses: Array(20).fill('Фандинг высокий & растёт') },
      targets: Array.from({ length: 6 }, (_, i) => ({ price: 63000 + i * 700, r: 1 + i, closeFraction: 1 / 6 })),
    });
    const caption = signalCaption({ signal: longest, language: 'ru', timeZone: 'Europe/Moscow', stats: { trades: 1234, winRate: 0.513, expectancyR: 0.27 }, comment: 'Теория: '.repeat(400) });
    expect(visibleLength(caption)).toBeLessThanOrEqual(1024);
    // Every tag that opens also closes: nothing was sliced.
    expect(caption.match(/<(\w+)>/g)?.length).toBe(caption.match(/<\/(\w+)>/g)?.length);
    expect(caption).toContain('66500.00 (+6.00R)');
  });

  it('measures like Telegram: tags are free, an entity is one character', () => {
    expect(visibleLength('<b>a &amp; b</b>')).toBe(5);
  });

  it('cuts a comment at a word, never inside one', () => {
    expect(shorten('Theory says the retest of the block holds', 20)).toBe('Theory says the…');
  });
});
