/**
 * Raised inside a gateway call when the exchange's answer parsed but makes no sense (truncated JSON that ccxt
 * turned into rows of undefined, a non-list). The gateway treats it like a network error: asking again helps.
 */
export class BadExchangeDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadExchangeDataError';
  }
}
