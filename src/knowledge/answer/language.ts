/** The answer language follows the question's script: Cyrillic letters → Russian, otherwise English. */
export type AnswerLanguage = 'ru' | 'en';

export function detectLanguage(text: string): AnswerLanguage {
  const cyrillic = (text.match(/[\u0400-\u04FF]/g) ?? []).length;
  if (cyrillic === 0) return 'en';
  // Russian trading questions are full of Latin tickers and acronyms (BTCUSDT, FVG, BOS, CHoCH): those do not vote.
  const latinWords = (text.match(/[A-Za-z]+/g) ?? []).filter((w) => !/[A-Z]/.test(w.slice(1)) && !/^[A-Z]$/.test(w));
  const latin = latinWords.join('').length;
  return cyrillic * 2 >= latin ? 'ru' : 'en';
}
