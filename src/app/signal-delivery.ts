/**
 * A pushed signal on its way to a chat: its chart, a comment from the trader's theory within the time budget (in the
 * chat's language), then the message with the decision buttons.
 */
import type { Deliver } from '../engine/live/index.ts';
import type { Signal } from '../engine/types.ts';
import { commentOnSignal, type CommentOptions } from '../knowledge/answer/index.ts';
import type { BotServices, ItaBot } from '../bot/index.ts';
import type { Language } from '../bot/services.ts';

export interface SignalDeliveryOptions {
  /** Late-bound: the bot starts after the services that refer to it. */
  bot: () => ItaBot | undefined;
  charts: Pick<BotServices['charts'], 'signal'>;
  languageOf: (chatId: number) => Promise<Language>;
  comment: Pick<CommentOptions, 'retriever' | 'llm'>;
  commentBudgetMs: number;
}

export function signalDelivery(options: SignalDeliveryOptions): Deliver {
  return async (signal: Signal, chatId: number) => {
    const bot = options.bot();
    if (!bot) throw new Error('the bot is not running yet');
    const [png, language] = await Promise.all([options.charts.signal(signal), options.languageOf(chatId)]);
    const comment = await commentOnSignal(
      { ...signal, targets: signal.targets.map((t) => t.price) },
      { ...options.comment, language, budgetMs: options.commentBudgetMs },
    );
    return bot.sendSignal(chatId, signal, png, comment.text);
  };
}
