/**
 * The one error boundary: bot.catch (the runner reports through it too) and the detached jobs (backtests, uploads)
 * all end here. The user gets a short message in their language; the log gets the cause.
 */
import { GrammyError, HttpError, type Api, type BotError } from 'grammy';
import type { Logger } from '../logger.ts';
import type { BotContext } from './context.ts';
import type { Language } from './services.ts';
import { languageFromCode, translate } from './i18n/index.ts';
import { InputError } from '../engine/errors.ts';
import { escapeHtml } from './format/html.ts';
import { truncatePlain } from './render/telegram-text.ts';

export function describeFailure(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { kind: 'telegram', method: error.method, code: error.error_code, error: error.description };
  if (error instanceof HttpError) return { kind: 'network', error: String(error.error) };
  if (error instanceof Error) return { kind: error.name, error: error.message, stack: error.stack?.split('\n').slice(1, 4).join(' | ') };
  return { kind: typeof error, error: String(error) };
}

export async function tellUserItFailed(api: Api, chatId: number | undefined, language: Language, logger: Logger, error?: unknown): Promise<void> {
  if (chatId === undefined) return;
  try {
    // An InputError's message names the offending value for the person who typed it; anything else stays generic.
    if (error instanceof InputError) {
      await api.sendMessage(chatId, translate(language, 'tx.refused', { reason: escapeHtml(truncatePlain(error.message, 3000)) }), { parse_mode: 'HTML' });
      return;
    }
    await api.sendMessage(chatId, translate(language, 'error.generic'));
  } catch (error) {
    logger.warn('could not tell the user about a failure', describeFailure(error));
  }
}

export function errorBoundary(logger: Logger) {
  return async (botError: BotError<BotContext>): Promise<void> => {
    const ctx = botError.ctx;
    logger.error('update handler failed', { updateId: ctx.update.update_id, userId: ctx.from?.id, ...describeFailure(botError.error) });
    const language = ctx.lang ?? languageFromCode(ctx.from?.language_code);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await tellUserItFailed(ctx.api, ctx.chat?.id, language, logger, botError.error);
  };
}

/** Runs work the chat must not wait for (sequentialize would block the chat); failures go to the same boundary. */
export function runDetached(
  work: () => Promise<void>,
  failure: { api: Api; chatId: number; language: Language; logger: Logger; what: string },
  tracked: Set<Promise<void>>,
): void {
  const task = work().catch(async (error) => {
    failure.logger.error(`${failure.what} failed`, { chatId: failure.chatId, ...describeFailure(error) });
    await tellUserItFailed(failure.api, failure.chatId, failure.language, failure.logger, error);
  });
  tracked.add(task);
  void task.finally(() => tracked.delete(task));
}
