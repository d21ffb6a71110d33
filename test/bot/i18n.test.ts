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

  it('renders every key in both languages: Russian has Cyrillic wherever English has words, English has none', () => {
    // Terms a Russian trader reads in Latin letters, and values that are data, not language.
    const latinTerms = /\b(R:R|ATR|PnL|ID|LIVE|PAPER|UTC|CSV|PDF|DOCX|MD|TXT|HTML|IANA|BTC|USDT|BASE|QUOTE|kill switch|walk-forward|binance|Europe\/\w+|ita import|score|quiet|off|tz|lang|en|ru|day|week|month|paper|live|set|limit)\b/gi;
    const words = (text: string) => text.replace(/\{\w+\}|<[^>]+>|\/\w+|&\w+;/g, ' ').replace(latinTerms, ' ');
    const problems: string[] = [];
    for (const key of Object.keys(messages) as (keyof typeof messages)[]) {
      const vars = Object.fromEntries(placeholders(messages[key].en).map((name) => [name, '7']));
      const en = translate('en', key, vars);
      const ru = translate('ru', key, vars);
      if (/[а-яё]/i.test(en)) problems.push(`${key}: English text has Cyrillic: ${en}`);
      if (/[a-z]{3,}/i.test(words(en)) && !/[а-яё]/i.test(ru)) problems.push(`${key}: Russian text is not Russian: ${ru}`);
      if (/\{\w+\}/.test(en) || /\{\w+\}/.test(ru)) problems.push(`${key}: a placeholder was left unfilled`);
    }
    expect(problems).toEqual([]);
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

describe('the command menu in both languages', () => {
  it('has a Russian description in Russian for every command, the trading ones included', async () => {
    const { startIta } = await import('./harness.ts');
    const { installExecutionFeature } = await import('../../src/bot/execution/index.ts');
    const { createFakeExecutor } = await import('./execution/fake-executor.ts');
    const h = await startIta();
    try {
      installExecutionFeature(h.ita, createFakeExecutor() as never);
      const menu = h.ita.commands.menu('ru');
      expect(menu.length).toBeGreaterThan(20);
      expect(menu.filter((c) => !/[а-яё]/i.test(c.description)).map((c) => c.command)).toEqual([]);
      expect(h.ita.commands.menu('en').filter((c) => /[а-яё]/i.test(c.description)).map((c) => c.command)).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
