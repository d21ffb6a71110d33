/**
 * One message edited in place to show progress. Telegram rate-limits edits, so updates are coalesced to at most one
 * edit per interval (1 s by default); the latest text always wins and finish() writes the final text.
 */
import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';

export interface ProgressMessage {
  readonly messageId: number;
  update(html: string): void;
  finish(html: string, keyboard?: InlineKeyboardMarkup): Promise<void>;
}

export async function startProgress(
  api: Api,
  chatId: number,
  html: string,
  options: { keyboard?: InlineKeyboardMarkup; intervalMs?: number; now?: () => number } = {},
): Promise<ProgressMessage> {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const message = await api.sendMessage(chatId, html, { parse_mode: 'HTML', reply_markup: options.keyboard });
  let lastEditAt = now();
  let shown = html;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  // Telegram drops the inline keyboard when an edit omits it, so every frame repeats the keyboard it should keep.
  const edit = (text: string, keyboard: InlineKeyboardMarkup | undefined, force = false) => {
    chain = chain.then(async () => {
      if (text === shown && !force) return;
      lastEditAt = now();
      shown = text;
      try {
        await api.editMessageText(chatId, message.message_id, text, { parse_mode: 'HTML', reply_markup: keyboard });
      } catch (error) {
        // A lost progress frame is harmless; "not modified" is expected when two frames render the same text.
        if (!(error instanceof GrammyError)) throw error;
      }
    });
    return chain;
  };

  const flush = () => {
    timer = undefined;
    if (pending === undefined || finished) return;
    const text = pending;
    pending = undefined;
    void edit(text, options.keyboard).catch(() => undefined);
  };

  return {
    messageId: message.message_id,
    update(text) {
      if (finished) return;
      pending = text;
      if (timer) return;
      const wait = lastEditAt + intervalMs - now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    async finish(text, keyboard) {
      finished = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await chain.catch(() => undefined);
      const wait = lastEditAt + intervalMs - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await edit(text, keyboard, true);
    },
  };
}
