/**
 * A small Russian ↔ English trading glossary for query expansion. The offline embedding and BM25 match surface
 * forms, so without it a Russian question can never find an English document (and vice versa). Each entry lists
 * equivalent phrases; a query containing any of them gains the others' stems. Entries marked `~` are everyday words
 * ("price", "trade"): they only let coverage count a translation as the word itself, because searching for them
 * in the other language drags in unrelated documents.
 */
import { analyze, searchTokens as searchTokensOf, tokenize } from './text.ts';

const CYRILLIC = /[\u0400-\u04ff]/;

const ENTRIES: string[][] = [
  ['stop loss', 'stoploss', 'стоп-лосс', 'стоп лосс', 'стоп-приказ'],
  ['trailing stop', 'трейлинг-стоп', 'скользящий стоп'],
  ['take profit', 'тейк-профит', 'фиксация прибыли'],
  ['leverage', 'кредитное плечо', 'плечо', 'левередж'],
  ['~margin', 'маржа', 'маржинальная'],
  ['isolated margin', 'изолированная маржа'],
  ['cross margin', 'кросс-маржа'],
  ['liquidation', 'ликвидация'],
  ['funding fee', 'funding rate', 'ставка финансирования', 'фандинг'],
  ['futures', 'фьючерсы', 'фьючерс'],
  ['spot', 'спот', 'спотовый'],
  ['short', 'шорт', 'короткая позиция'],
  ['~long', 'лонг', 'длинная позиция'],
  ['position size', 'position sizing', 'размер позиции'],
  ['risk per trade', 'риск на сделку', 'рисковать на сделку'],
  ['~risk', 'риск', 'рисковать'],
  ['buffer', 'буфер'],
  ['copy trading', 'автоследование'],
  ['~reward', 'прибыль', 'вознаграждение'],
  ['win rate', 'процент выигрышных сделок', 'винрейт'],
  ['~trade', 'сделка', 'торговля'],
  ['~trader', 'трейдер'],
  ['~journal', 'журнал', 'дневник'],
  ['~share', 'акция', 'акции'],
  ['~stock', 'акция', 'акции'],
  ['~order', 'заявка', 'ордер', 'приказ'],
  ['limit order', 'лимитная заявка', 'лимитный ордер'],
  ['market order', 'рыночная заявка', 'рыночный ордер'],
  ['order block', 'ордер-блок', 'ордер блок'],
  ['fair value gap', 'fvg', 'имбаланс', 'разрыв справедливой стоимости'],
  ['break of structure', 'bos', 'слом структуры', 'пробой структуры'],
  ['change of character', 'choch', 'смена характера'],
  ['~liquidity', 'ликвидность'],
  ['swing high', 'swing low', 'свинг', 'локальный максимум', 'локальный минимум'],
  ['retracement', 'откат', 'коррекция'],
  ['~session', 'сессия', 'торговая сессия'],
  ['kill zone', 'killzone', 'килл-зона'],
  ['previous high', 'предыдущий максимум'],
  ['previous low', 'предыдущий минимум'],
  ['moving average', 'скользящая средняя', 'мувинг'],
  ['exponential moving average', 'ema', 'экспоненциальная скользящая средняя'],
  ['simple moving average', 'sma', 'простая скользящая средняя'],
  ['relative strength index', 'rsi', 'индекс относительной силы'],
  ['relative strength', 'относительная сила'],
  ['macd', 'схождение расхождение скользящих средних'],
  ['~oscillator', 'осциллятор'],
  ['~trend', 'тренд'],
  ['trend following', 'следование за трендом', 'трендовая стратегия'],
  ['~indicator', 'индикатор'],
  ['~support', 'поддержка'],
  ['~resistance', 'сопротивление'],
  ['overbought', 'перекупленность'],
  ['oversold', 'перепроданность'],
  ['~backtest', 'backtesting', 'бэктест', 'бэктестинг', 'тестирование на истории'],
  ['transaction cost', 'транзакционные издержки', 'комиссия'],
  ['~fee', 'комиссия'],
  ['data snooping', 'подгонка', 'переобучение'],
  ['~cryptocurrency', 'криптовалюта', 'крипта'],
  ['~bitcoin', 'биткоин', 'биткойн'],
  ['~exchange', 'биржа'],
  ['~open', 'открытие'],
  ['~close', 'закрытие'],
  ['opening price', 'цена открытия'],
  ['closing price', 'цена закрытия'],
  ['first 30 minutes', 'первые 30 минут'],
  ['~gap', 'гэп', 'разрыв'],
  ['~imbalance', 'дисбаланс'],
  ['algorithmic trading', 'алгоритмическая торговля', 'алготрейдинг'],
  ['~trading robot', 'торговый робот', 'робот'],
  ['high frequency trading', 'hft', 'высокочастотная торговля'],
  ['volume weighted average price', 'vwap', 'средневзвешенная по объему цена'],
  ['time weighted average price', 'twap', 'средневзвешенная по времени цена'],
  ['~forecast', 'прогноз', 'прогнозирование'],
  ['stock price', 'цена акции', 'стоимость акции'],
  ['copy trading', 'копитрейдинг'],
  ['stationarity', 'стационарность', 'стационарный'],
  ['neural network', 'нейросеть', 'нейронная сеть'],
  ['~price', 'цена'],
  ['~volatility', 'волатильность'],
  ['~profit', 'прибыль'],
  ['~loss', 'убыток'],
  ['~strategy', 'стратегия'],
  ['~signal', 'сигнал'],
  ['~entry', 'вход'],
  ['~exit', 'выход'],
  ['~interval', 'интервал'],
  ['trade-through', 'trade through', 'сделка по худшей цене'],
  ['intermarket sweep order', 'iso', 'межрыночный ордер'],
  ['best bid and offer', 'nbbo', 'лучшая цена спроса и предложения'],
  ['~auction', 'аукцион'],
  ['linear regression', 'линейная регрессия'],
  ['alligator', 'аллигатор'],
];

type Stems = string[];
interface Entry {
  raw: string[];
  phrases: Stems[];
  generic: boolean;
}

const entries: Entry[] = ENTRIES.map((list) => {
  const raw = list.map((p) => p.replace(/^~/, ''));
  return { raw, phrases: raw.map((p) => tokenize(p)), generic: list[0].startsWith('~') };
});

function containsPhrase(haystack: string[], phrase: Stems): boolean {
  outer: for (let i = 0; i + phrase.length <= haystack.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (haystack[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export interface ExpandedQuery {
  /** The query's own stems. */
  terms: string[];
  /** The query's own search tokens (stems plus Russian prefixes) for BM25. */
  searchTerms: string[];
  /** Stems of the glossary's translations into the other language (none already in `terms`). */
  added: string[];
  /** The translated phrases as written, for the character n-gram embedding. */
  addedText: string;
  /** For each own term, the set of stems that count as "this term is covered" (itself plus its translations). */
  equivalents: Map<string, Set<string>>;
}

export function expandQuery(query: string): ExpandedQuery {
  const words = analyze(query);
  const terms = words.map((w) => w.stem);
  const letters = query.match(/\p{L}/gu) ?? [];
  const queryIsRussian = letters.filter((c) => CYRILLIC.test(c)).length * 2 > letters.length;
  const own = new Set(terms);
  const added = new Set<string>();
  const addedText: string[] = [];
  const equivalents = new Map<string, Set<string>>();
  for (const w of words) {
    const set = equivalents.get(w.stem) ?? new Set([w.stem]);
    if (w.prefix) set.add(w.prefix);
    equivalents.set(w.stem, set);
  }
  for (const entry of entries) {
    const hitIndex = entry.phrases.findIndex((p) => p.length > 0 && containsPhrase(terms, p));
    if (hitIndex < 0) continue;
    const hit = entry.phrases[hitIndex];
    const translations = entry.phrases.filter((_, i) => i !== hitIndex).flat();
    if (!entry.generic) {
      // Only the other language's phrases: same-language synonyms are already matched by the n-gram embedding.
      const foreign = entry.raw.filter((p, i) => i !== hitIndex && CYRILLIC.test(p) !== queryIsRussian);
      addedText.push(...foreign);
      for (const stem of foreign.flatMap((p) => searchTokensOf(p))) if (!own.has(stem)) added.add(stem);
    }
    for (const term of hit) for (const stem of translations) equivalents.get(term)?.add(stem);
  }
  const searchTerms = words.flatMap((w) => (w.prefix ? [w.stem, w.prefix] : [w.stem]));
  return { terms, searchTerms, added: [...added], addedText: addedText.join(' '), equivalents };
}
