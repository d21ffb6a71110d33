/**
 * Errors are classified by what the caller should do about them:
 *  - TemporaryError: retry later (network blips, rate limits, exchange maintenance);
 *  - InputError: the human gave us something wrong; tell them exactly what and where, keep running;
 *  - ConfigError: start-up cannot continue until the configuration is fixed;
 *  - ExchangeRejectedError & co: the exchange said no; do not retry the same request.
 * Messages quote the offending value but never a secret.
 */

export interface ErrorDetails {
  /** File the bad input came from. */
  file?: string;
  /** 1-based line number in that file. */
  line?: number;
  /** Field or column at fault. */
  field?: string;
  /** The offending value, quoted in the message. */
  value?: unknown;
  [key: string]: unknown;
}

export class ItaError extends Error {
  readonly details: ErrorDetails;

  constructor(message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

export class InputError extends ItaError {}

export class ConfigError extends ItaError {}

export class TemporaryError extends ItaError {}

/** The exchange could not be reached or answered 5xx / timed out. */
export class ExchangeUnavailableError extends TemporaryError {}

/** The exchange (or Telegram) asked us to slow down. */
export class RateLimitError extends TemporaryError {
  constructor(message: string, readonly retryAfterMs?: number, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, details, options);
  }
}

/** The exchange understood the request and refused it (bad symbol, insufficient funds, invalid order). */
export class ExchangeRejectedError extends ItaError {}

export class AuthenticationError extends ItaError {}

/**
 * The exchange refused a signed request because this host's clock is off (Binance -1021). Retrying does not help
 * until the clock is synced; the trader must be told, not shown "exchange unavailable".
 */
export class ClockSkewError extends ItaError {
  constructor(message: string, readonly aheadMs?: number, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, details, options);
  }
}

export class NotFoundError extends ItaError {}

/** A confirmation was pressed for a state that no longer holds; nothing was done. */
export class StaleConfirmationError extends ItaError {}

/** The person running it stopped it (Ctrl-C, Cancel): nothing to retry or report as a failure. */
export class InterruptedError extends ItaError {}

/** Formats an error for a human: message plus the location details, never the stack. */
export function describeError(error: unknown): string {
  if (error instanceof ItaError) {
    const where = [error.details.file, error.details.line !== undefined ? `line ${error.details.line}` : undefined]
      .filter(Boolean)
      .join(':');
    // Some messages already lead with their file; do not say it twice.
    return where && !error.message.startsWith(error.details.file ?? '\0') ? `${where}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
