/**
 * Parsing of command arguments shared by several commands. Errors come back as ready-to-send HTML in the user's
 * language, naming the offending value and showing an example.
 */
import { TIMEFRAMES, type MarketKey, type Timeframe } from '../../engine/types.ts';
import { escapeHtml } from '../format/html.ts';
import type { Translate } from '../i18n/index.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const SYMBOL = /^[A-Z0-9]{2,20}\/[A-Z0-9]{2,20}(?::[A-Z0-9]{2,20})?$/;
const EXCHANGE = /^[a-z0-9.]{2,30}$/;

export function splitArgs(args: string): string[] {
  return args.split(/\s+/).filter(Boolean);
}

export function parseSymbol(text: string, t: Translate): Parsed<string> {
  const symbol = text.toUpperCase();
  return SYMBOL.test(symbol) ? { ok: true, value: symbol } : { ok: false, error: t('market.badSymbol', { value: escapeHtml(text) }) };
}

export function parseTimeframe(text: string, t: Translate): Parsed<Timeframe> {
  const found = TIMEFRAMES.find((tf) => tf === text || tf === text.toLowerCase());
  return found ? { ok: true, value: found } : { ok: false, error: t('market.badTimeframe', { value: escapeHtml(text), list: TIMEFRAMES.join(', ') }) };
}

/** "SYMBOL TF [exchange]" → MarketKey; `usage` is shown when the shape itself is wrong. */
export function parseMarket(args: string, defaultExchange: string, t: Translate, usage: string): Parsed<MarketKey> {
  const words = splitArgs(args);
  if (words.length < 2 || words.length > 3) return { ok: false, error: usage };
  const symbol = parseSymbol(words[0], t);
  if (!symbol.ok) return { ok: false, error: `${symbol.error}\n${usage}` };
  const timeframe = parseTimeframe(words[1], t);
  if (!timeframe.ok) return { ok: false, error: `${timeframe.error}\n${usage}` };
  const exchange = (words[2] ?? defaultExchange).toLowerCase();
  if (!EXCHANGE.test(exchange)) return { ok: false, error: `${t('market.badExchange', { value: escapeHtml(words[2] ?? '') })}\n${usage}` };
  return { ok: true, value: { exchange, symbol: symbol.value, timeframe: timeframe.value } };
}

export function marketLabel(market: MarketKey): string {
  return `${market.exchange} ${market.symbol} ${market.timeframe}`;
}
