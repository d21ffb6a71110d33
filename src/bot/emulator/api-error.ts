/**
 * Errors in the exact shape Telegram returns them, so grammY (GrammyError, auto-retry) reacts as in production.
 */
export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  toBody(): ApiErrorBody {
    return {
      ok: false,
      error_code: this.code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (reason: string): BotApiError => new BotApiError(400, `Bad Request: ${reason}`);

export const unauthorized = (): BotApiError => new BotApiError(401, 'Unauthorized');

export const botBlocked = (): BotApiError => new BotApiError(403, 'Forbidden: bot was blocked by the user');

export const notFound = (): BotApiError => new BotApiError(404, 'Not Found');

export const tooManyRequests = (retryAfter: number): BotApiError =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

export const conflict = (reason: string): BotApiError => new BotApiError(409, `Conflict: ${reason}`);

/** A fault a test asks the emulator to answer with instead of running the next call of a method. */
export interface InjectedFault {
  code: number;
  retryAfter?: number;
  description?: string;
}

export function faultToError(fault: InjectedFault): BotApiError {
  if (fault.code === 429) return tooManyRequests(fault.retryAfter ?? 1);
  if (fault.description) return new BotApiError(fault.code, fault.description);
  if (fault.code === 403) return botBlocked();
  if (fault.code === 400) return badRequest('injected fault');
  if (fault.code === 401) return unauthorized();
  return new BotApiError(fault.code, fault.code >= 500 ? 'Internal Server Error' : `Error ${fault.code}`);
}
