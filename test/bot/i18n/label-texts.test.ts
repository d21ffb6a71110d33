/**
 * Label parse errors in the trader's language: every error a caption, a CSV line or `ita label add` can produce names
 * the field and the value at fault (and, in a file, the line) and comes out whole in Russian or in English, through
 * the catalog (src/bot/i18n/engine-texts-labels.ts). Before, a Russian reply carried these errors in English.
 */
import { describe, expect, it } from 'vitest';
import { parseLabelCaption, parseLabelCsv, parseLabelFields } from '../../../src/engine/learning/labels/parse.ts';
import { localizeEngineText } from '../../../src/bot/i18n/engine-translator.ts';

const notSaved = (fields: string[]) => {
  const parsed = parseLabelFields(fields);
  if (parsed.ok) throw new Error(`expected an error for ${fields.join(',')}`);
  return `Label not saved: ${parsed.message}`;
};

/** [fields, English, Russian], written out by hand. */
const CASES: Array<[string[], string, string]> = [
  [['Fvg', 'BTC/USDT', '15m', '2024-07-12 14:30', 'long'], 'setup "Fvg" is not a setup id (lower_snake_case)', 'сетап «Fvg» — не id сетапа (строчные латинские буквы, цифры и _)'],
  [['fvg_retrace', 'BTCUSDT', '15m', '2024-07-12 14:30', 'long'], 'symbol "BTCUSDT" should look like BTC/USDT', 'символ «BTCUSDT» должен выглядеть как BTC/USDT'],
  [['fvg_retrace', 'BTC/USDT', '7m', '2024-07-12 14:30', 'long'], 'timeframe "7m" is not one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w', 'таймфрейм «7m» не из списка 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w'],
  [['fvg_retrace', 'BTC/USDT', '15m', '2024-13-40 25:00', 'long'], 'time "2024-13-40 25:00" is not a UTC time like 2024-07-12 14:30', 'время «2024-13-40 25:00» — не время UTC вида 2024-07-12 14:30'],
  [['fvg_retrace', 'BTC/USDT', '15m', '2024-07-12 14:30', 'up'], 'side "up" must be long or short', 'сторона «up» должна быть long или short'],
  [['fvg_retrace', 'BTC/USDT', '15m', '2024-07-12 14:30'], 'expected 5 fields (setup, symbol, timeframe, time, side), got 4', 'нужно 5 полей (сетап, символ, таймфрейм, время, сторона), а их 4'],
  [['', 'BTC/USDT', '15m', '2024-07-12 14:30', 'long'], 'the setup (field 1) is empty', 'не указан сетап (поле 1)'],
  [['fvg_retrace', ' ', '15m', '2024-07-12 14:30', 'long'], 'the symbol (field 2) is empty', 'не указан символ (поле 2)'],
  [['fvg_retrace', 'BTC/USDT', '', '2024-07-12 14:30', 'long'], 'the timeframe (field 3) is empty', 'не указан таймфрейм (поле 3)'],
  [['fvg_retrace', 'BTC/USDT', '15m', '', 'long'], 'the time (field 4) is empty', 'не указано время (поле 4)'],
  [['fvg_retrace', 'BTC/USDT', '15m', '2024-07-12 14:30', ''], 'the side (field 5) is empty', 'не указана сторона (поле 5)'],
];

describe('label parse errors in both languages', () => {
  it.each(CASES)('%j', (fields, en, ru) => {
    const text = notSaved(fields);
    expect(localizeEngineText(text, 'en')).toBe(`Label not saved: ${en}`);
    expect(localizeEngineText(text, 'ru')).toBe(`Метка не сохранена: ${ru}`);
  });

  it('a caption that is not in the label form says how to write one', () => {
    const parsed = parseLabelCaption('label fvg_retrace BTC/USDT');
    expect(parsed?.ok).toBe(false);
    const text = `Label not saved: ${parsed!.ok ? '' : parsed!.message}`;
    expect(localizeEngineText(text, 'en')).toBe('Label not saved: write: label SETUP SYMBOL TIMEFRAME YYYY-MM-DD HH:MM long|short (e.g. label fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long)');
    expect(localizeEngineText(text, 'ru')).toBe('Метка не сохранена: напишите: метка СЕТАП СИМВОЛ ТАЙМФРЕЙМ ГГГГ-ММ-ДД ЧЧ:ММ long|short (например, метка fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long)');
  });

  it('a CSV reply names each bad line by number, all of it in the trader\'s language', () => {
    const { errors } = parseLabelCsv(['setup,symbol,timeframe,time,side', 'fvg_retrace,BTC/USDT,15m,2024-07-12 14:30,long', 'fvg_retrace,BTC/USDT,15m,2024-07-12 14:30,sideways', '', 'fvg_retrace,,15m,2024-07-12 14:30,long'].join('\n'));
    expect(errors).toEqual([
      { line: 3, message: 'side "sideways" must be long or short' },
      { line: 5, message: 'the symbol (field 2) is empty' },
    ]);
    const reply = ['Labels saved: 1', ...errors.map((e) => `line ${e.line}: ${e.message}`), '… and 3 more errors'].join('\n');
    expect(localizeEngineText(reply, 'ru')).toBe('Сохранено меток: 1\nстрока 3: сторона «sideways» должна быть long или short\nстрока 5: не указан символ (поле 2)\n… и ещё ошибок: 3');
    expect(localizeEngineText(reply, 'en')).toBe(reply);
  });

  it('a saved label reads naturally in both languages', () => {
    const text = 'Label saved: fvg_retrace BTC/USDT 15m 2024-07-12 14:30 UTC short';
    expect(localizeEngineText(text, 'ru')).toBe('Метка сохранена: fvg_retrace BTC/USDT 15m 2024-07-12 14:30 UTC, шорт');
    expect(localizeEngineText('label #12 saved: fvg_retrace BTC/USDT 15m 2024-07-12 14:30 UTC long', 'ru')).toBe('метка №12 сохранена: fvg_retrace BTC/USDT 15m 2024-07-12 14:30 UTC, лонг');
  });
});
