/**
 * Every button press is answered, once, within a second. Telegram shows a spinner on the button until the bot
 * answers the callback query, and refuses answers that come too late ("query is too old"), so:
 * - a handler that answers itself answers first, before slow work, and puts the result into the message;
 * - a press still unanswered after `promptMs` (a slow handler, or one waiting behind another update of the same
 *   chat) is answered with "working on it" — this runs BEFORE per-chat sequencing, so nothing can hold it up;
 * - a press no handler took (stale or unknown data) is answered with a short notice;
 * - a second answer to the same query (a handler answering after the prompt) is dropped, not sent.
 * answerCallbackQuery also bypasses the outgoing throttle: it is not a chat message and must not queue behind edits.
 */
import type { Api, MiddlewareFn, Transformer } from 'grammy';
import type { Logger } from '../../logger.ts';
import { languageFromCode, translate } from '../i18n/index.ts';
import type { BotContext } from '../context.ts';

const TOO_OLD = /query is too old|query ID is invalid/;

export class CallbackAnswers {
  /** Answered query ids, kept only as long as an answer could still arrive. */
  private readonly answered = new Map<string, number>();

  constructor(
    private readonly api: () => Api,
    private readonly logger: Logger,
    private readonly promptMs = 300,
  ) {}

  isAnswered(queryId: string): boolean {
    return this.answered.has(queryId);
  }

  private mark(queryId: string): boolean {
    if (this.answered.has(queryId)) return false;
    const now = Date.now();
    this.answered.set(queryId, now);
    if (this.answered.size > 2000) {
      for (const [id, at] of this.answered) if (now - at > 120_000) this.answered.delete(id);
    }
    return true;
  }

  /** API transformer: one answer per query; an expired query is logged, not thrown at the handler. */
  transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      if (method !== 'answerCallbackQuery') return prev(method, payload, signal);
      const id = String((payload as { callback_query_id?: unknown }).callback_query_id ?? '');
      if (!this.mark(id)) return { ok: true, result: true } as never;
      const result = await prev(method, payload, signal);
      if (!result.ok && TOO_OLD.test(result.description)) {
        this.logger.warn('a button press was answered too late', { method, error: result.description });
        return { ok: true, result: true } as never;
      }
      return result;
    };
  }

  /** First in the chain: arms the prompt answer, and answers whatever the handlers left unanswered. */
  middleware(): MiddlewareFn<BotContext> {
    return async (ctx, next) => {
      const query = ctx.callbackQuery;
      if (!query) return next();
      const language = () => ctx.lang ?? languageFromCode(ctx.from?.language_code);
      const timer = setTimeout(() => {
        if (this.isAnswered(query.id)) return;
        void this.api().answerCallbackQuery(query.id, { text: translate(language(), 'tx.button.working') }).catch((error: unknown) =>
          this.logger.warn('prompt callback answer failed', { error: error instanceof Error ? error.message : String(error) }));
      }, this.promptMs);
      let handled = true;
      ctx.callbackUnhandled = () => {
        handled = false;
      };
      try {
        await next();
      } finally {
        clearTimeout(timer);
        if (!this.isAnswered(query.id)) {
          const text = handled ? undefined : translate(language(), 'tx.button.stale');
          if (!handled) this.logger.info('button press with unknown or stale data', { data: query.data?.slice(0, 64) });
          await this.api().answerCallbackQuery(query.id, text ? { text } : {}).catch(() => undefined);
        }
      }
    };
  }

  /** Last in the chain: a press that reaches it was not taken by any handler. */
  terminal(): MiddlewareFn<BotContext> {
    return async (ctx, next) => {
      if (ctx.callbackQuery) ctx.callbackUnhandled?.();
      else await next();
    };
  }
}

/** "message is not modified" means the message already shows what was asked for: success, not an error. */
export function notModifiedIsSuccess(): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && method.startsWith('editMessage') && /message is not modified/.test(result.description)) {
      return { ok: true, result: true } as never;
    }
    return result;
  };
}
