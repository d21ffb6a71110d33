/**
 * The labelled-examples texts (src/engine/learning/labels/: parse.ts, service.ts, the `ita label` CLI), in the
 * catalog's form (engine-texts.ts): what was saved, and every parse error with the field and the value at fault and,
 * for a CSV file, the line.
 */
import type { EngineTextEntry } from './engine-texts.ts';

const EMPTY: Array<[field: string, en: string, ru: string]> = [
  ['setup', 'the setup (field 1) is empty', 'не указан сетап (поле 1)'],
  ['symbol', 'the symbol (field 2) is empty', 'не указан символ (поле 2)'],
  ['timeframe', 'the timeframe (field 3) is empty', 'не указан таймфрейм (поле 3)'],
  ['time', 'the time (field 4) is empty', 'не указано время (поле 4)'],
  ['side', 'the side (field 5) is empty', 'не указана сторона (поле 5)'],
];

export const LABEL_TEXTS: EngineTextEntry[] = [
  { key: 'eng.label.saved', en: 'Label saved: {setup} {symbol} {tf} {time} UTC {side:side}', ru: 'Метка сохранена: {setup} {symbol} {tf} {time} UTC, {side}' },
  { key: 'eng.label.savedCli', en: 'label #{id:num} saved: {setup} {symbol} {tf} {time} UTC {side:side}', ru: 'метка №{id} сохранена: {setup} {symbol} {tf} {time} UTC, {side}' },
  { key: 'eng.label.count', en: 'Labels saved: {n:num}', ru: 'Сохранено меток: {n}' },
  { key: 'eng.label.notSaved', en: 'Label not saved: {reason*}', ru: 'Метка не сохранена: {reason}' },
  { key: 'eng.label.line', en: 'line {line:num}: {reason*}', ru: 'строка {line}: {reason}' },
  { key: 'eng.label.more', en: '… and {n:num} more errors', ru: '… и ещё ошибок: {n}' },
  {
    key: 'eng.label.fieldCount',
    en: 'expected 5 fields (setup, symbol, timeframe, time, side), got {n:num}',
    ru: 'нужно 5 полей (сетап, символ, таймфрейм, время, сторона), а их {n}',
  },
  { key: 'eng.label.setup', en: 'setup "{value}" is not a setup id (lower_snake_case)', ru: 'сетап «{value}» — не id сетапа (строчные латинские буквы, цифры и _)' },
  { key: 'eng.label.symbol', en: 'symbol "{value}" should look like BTC/USDT', ru: 'символ «{value}» должен выглядеть как BTC/USDT' },
  {
    key: 'eng.label.timeframe',
    en: 'timeframe "{value}" is not one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w',
    ru: 'таймфрейм «{value}» не из списка 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w',
  },
  { key: 'eng.label.time', en: 'time "{value}" is not a UTC time like 2024-07-12 14:30', ru: 'время «{value}» — не время UTC вида 2024-07-12 14:30' },
  { key: 'eng.label.side', en: 'side "{value}" must be long or short', ru: 'сторона «{value}» должна быть long или short' },
  {
    key: 'eng.label.usage',
    en: 'write: label SETUP SYMBOL TIMEFRAME YYYY-MM-DD HH:MM long|short (e.g. label fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long)',
    ru: 'напишите: метка СЕТАП СИМВОЛ ТАЙМФРЕЙМ ГГГГ-ММ-ДД ЧЧ:ММ long|short (например, метка fvg_retrace BTC/USDT 15m 2024-07-12 14:30 long)',
  },
  ...EMPTY.map(([field, en, ru]) => ({ key: `eng.label.empty.${field}`, en, ru })),
];
