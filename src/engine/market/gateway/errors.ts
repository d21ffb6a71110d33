/**
 * Maps ccxt's error hierarchy onto ITA's classes, which say what to DO: retry (TemporaryError subclasses), tell the
 * human (AuthenticationError), or give up on this request (NotFoundError, ExchangeRejectedError).
 * The ccxt module is passed in because it is loaded lazily by the gateway; only the gateway touches ccxt.
 */
import type * as Ccxt from 'ccxt';
import {
  AuthenticationError, ClockSkewError, ExchangeRejectedError, ExchangeUnavailableError, NotFoundError, RateLimitError,
} from '../../errors.ts';

/** Exchange error texts reach logs, /status and Telegram alerts: keep them readable and well under Telegram's limits. */
export const MAX_EXCHANGE_TEXT = 300;

export type CcxtModule = typeof Ccxt;

export interface CallContext {
  exchangeId: string;
  method: string;
  symbol?: string;
  timeframe?: string;
  /** Values that must never appear in a message (API key, secret). */
  secrets: string[];
}

/**
 * Returns the ITA error for a ccxt error, or undefined when `error` is not one of ccxt's (a programming error,
 * which must surface as is). `retryAfterMs` is what the exchange asked for in its Retry-After header, if anything.
 */
export function mapCcxtError(
  ccxt: CcxtModule,
  error: unknown,
  context: CallContext,
  retryAfterMs?: number,
): Error | undefined {
  if (!(error instanceof ccxt.BaseError)) return undefined;
  const text = readableText(scrub(error.message, context.secrets));
  const reason = `${error.constructor.name}: ${text}`;
  const details = { exchange: context.exchangeId, method: context.method, symbol: context.symbol, timeframe: context.timeframe };
  const cause = { cause: error };
  const say = (what: string): string => `${where(context)}: ${what} (${reason})`;

  // Order matters: ccxt's rate-limit classes are NetworkError subclasses, PermissionDenied is an AuthenticationError,
  // and everything the exchange refused is an ExchangeError.
  // Binance -1021 arrives as InvalidNonce (a NetworkError) or BadRequest depending on the endpoint; either way it is
  // this host's clock, and no retry fixes it.
  const skew = clockSkewOf(error.message);
  if (skew) {
    const what = skew.aheadMs !== undefined
      ? `the exchange refused the request because this host's clock is ${skew.aheadMs} ms ahead of the exchange's; sync the clock (NTP)`
      : "the exchange refused the request's timestamp (outside its receive window): this host's clock is off; sync the clock (NTP)";
    return new ClockSkewError(say(what), skew.aheadMs, details, cause);
  }
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) {
    return new RateLimitError(say('rate limited by the exchange'), retryAfterMs, details, cause);
  }
  if (error instanceof ccxt.NetworkError) return new ExchangeUnavailableError(say('exchange unavailable'), details, cause);
  // BadResponse/NullResponse and bare OperationFailed (e.g. Binance -1001 "internal error"): nothing was refused,
  // the answer was unusable; asking again is the right move.
  if (error instanceof ccxt.OperationFailed) {
    return new ExchangeUnavailableError(say('exchange answered with an unusable response'), details, cause);
  }
  if (error instanceof ccxt.AuthenticationError) {
    return new AuthenticationError(say('authentication failed; check the API key, its permissions and IP whitelist'), details, cause);
  }
  if (error instanceof ccxt.BadSymbol) {
    return new NotFoundError(say(`unknown symbol "${context.symbol ?? ''}"`), { ...details, field: 'symbol', value: context.symbol }, cause);
  }
  return new ExchangeRejectedError(say('the exchange rejected the request'), details, cause);
}

/** Binance's -1021: "Timestamp for this request was 1000ms ahead of the server's time." or "... outside of the recvWindow." */
export function clockSkewOf(message: string): { aheadMs?: number } | undefined {
  if (!/-1021\b|ahead of (?:the )?server|outside of the recvWindow/i.test(message)) return undefined;
  const ahead = /(\d+)\s*ms ahead/i.exec(message);
  return { aheadMs: ahead ? Number(ahead[1]) : undefined };
}

/**
 * A proxy's HTML error page (a 502 from nginx or Cloudflare is some 17k characters) becomes its title or its text;
 * whitespace is collapsed and the result is cut at `max` characters.
 */
export function readableText(text: string, max = MAX_EXCHANGE_TEXT): string {
  let clean = text;
  if (/<(?:!doctype|html|head|body|title|div|p|h1|center)\b/i.test(clean)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(clean)?.[1];
    const before = clean.slice(0, clean.search(/<(?:!doctype|html)/i) >= 0 ? clean.search(/<(?:!doctype|html)/i) : 0);
    const body = clean.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ');
    clean = title ? `${before} ${title} (HTML page)` : body;
    clean = clean.replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  clean = clean.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** "binance fetchClosedCandles BTC/USDT 1h" — who failed doing what, for every message. */
export function where(context: CallContext): string {
  return [context.exchangeId, context.method, context.symbol, context.timeframe].filter(Boolean).join(' ');
}

/** Removes secrets and request signatures from text that may echo a request URL or body. */
export function scrub(text: string, secrets: string[]): string {
  let clean = text.replace(/(signature|apiKey|api_key|secret)=[^&\s"']+/gi, '$1=***');
  for (const secret of secrets) {
    if (secret.length >= 4) clean = clean.split(secret).join('***');
  }
  return clean;
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
