/**
 * Reaching Telegram at start-up. grammY's own client waits up to 500 s for one request, so with Telegram
 * unreachable a plain `bot.init()` hangs silently for minutes. Here every attempt has a short timeout, each failure
 * is logged with the next retry time, and retries back off exponentially and never stop (until stop()).
 * A refused token (401) or a wrong API root (404) cannot heal by waiting: those fail at once with a clear message.
 */
import { GrammyError, HttpError, type Bot } from 'grammy';
import { ConfigError } from '../../engine/errors.ts';
import type { Logger } from '../../logger.ts';
import type { BotContext } from '../context.ts';

export interface ConnectPolicy {
  /** Timeout of one getMe attempt. */
  attemptTimeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CONNECT_POLICY: ConnectPolicy = { attemptTimeoutMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export function isPermanentStartError(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
}

function reason(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  if (error instanceof HttpError) return `network: ${String((error.error as Error)?.message ?? error.error)}`;
  return error instanceof Error ? error.message : String(error);
}

/** Resolves once getMe succeeded; rejects on a permanent error or when `stopped` aborts. */
export async function connectWithRetry(
  bot: Bot<BotContext>,
  logger: Logger,
  stopped: AbortSignal,
  policy: ConnectPolicy = DEFAULT_CONNECT_POLICY,
  apiRoot = 'https://api.telegram.org',
  onFailure: () => void = () => undefined,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    if (stopped.aborted) throw new Error('bot stopped before Telegram was reachable');
    const timeout = AbortSignal.timeout(policy.attemptTimeoutMs);
    try {
      await bot.init(AbortSignal.any([timeout, stopped]) as Parameters<typeof bot.init>[0]);
      if (attempt > 1) logger.info('Telegram reachable again', { attempts: attempt });
      return;
    } catch (error) {
      if (isPermanentStartError(error)) {
        const code = (error as GrammyError).error_code;
        throw new ConfigError(code === 401
          ? 'Telegram refused the bot token (401 Unauthorized): check telegram.token / TELEGRAM_BOT_TOKEN'
          : `the Bot API at ${apiRoot} answered 404 to getMe: check telegram.apiRoot and the token`);
      }
      if (stopped.aborted) throw new Error('bot stopped before Telegram was reachable');
      const delayMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const why = timeout.aborted ? `no answer within ${policy.attemptTimeoutMs} ms` : reason(error);
      onFailure();
      logger.warn(`Telegram unreachable (attempt ${attempt}): ${why}; retrying in ${Math.round(delayMs / 100) / 10} s`, { apiRoot, attempt, delayMs });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        stopped.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }
}
