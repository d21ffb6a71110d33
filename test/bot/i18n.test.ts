import { describe, expect, it } from 'vitest';
import { languageFromCode, messages, translate } from '../../src/bot/i18n/index.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n table', () => {
  it('has every key in English and Russian with the same placeholders', () => {
    for (const [key, texts] of Object.entries(messages)) {
      expect(texts.en, `${key}.en`).toBeTruthy();
      expect(texts.ru, `${key}.ru`).toBeTruthy();
      expect(placeholders(texts.ru), key).toEqual(placeholders(texts.en));
    }
  });

  it('has Russian texts that are actually Russian where the English has words', () => {
    const untranslated = Object.entries(messages).filter(([, t]) => /[a-z]{4,}/i.test(t.en.replace(/\{\w+\}|<[^>]+>|\/\w+/g, '')) && t.en === t.ru).map(([k]) => k);
    expect(untranslated).toEqual(['backtest.optionWalkForward']); // a term traders use untranslated
  });

  it('follows Telegram language codes: ru* is Russian, en* English, anything else the configured language', () => {
    expect(['ru', 'ru-RU', 'RU', 'en', 'en-GB', 'uk', undefined].map((code) => languageFromCode(code))).toEqual(['ru', 'ru', 'ru', 'en', 'en', 'en', 'en']);
    expect(['ru', 'en-GB', 'de', '', undefined].map((code) => languageFromCode(code, 'ru'))).toEqual(['ru', 'en', 'ru', 'ru', 'ru']);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'unwatch.done', { market: 'binance BTC/USDT 1h' })).toBe('Stopped watching binance BTC/USDT 1h.');
    expect(translate('ru', 'unwatch.done')).toBe('Больше не слежу за {market}.');
  });
});
