/**
 * Telegram's refusals for message content, reproduced so a bot that would fail in production fails here too.
 */
import type { ApiReplyMarkup } from './api-types.ts';
import { badRequest } from './api-error.ts';
import { tokenizeTelegramHtml } from './telegram-html.ts';
import { renderMarkdownV2 } from './telegram-markdown.ts';

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

export function checkParseMode(text: string, parseMode: string | undefined): void {
  if (parseMode === undefined || parseMode === '') return;
  if (parseMode === 'HTML') {
    const parsed = tokenizeTelegramHtml(text);
    if ('error' in parsed) throw badRequest(parsed.error);
  } else if (parseMode === 'MarkdownV2') {
    const parsed = renderMarkdownV2(text);
    if ('error' in parsed) throw badRequest(parsed.error);
  } else if (parseMode !== 'Markdown') {
    throw badRequest(`unsupported parse_mode "${parseMode}"`);
  }
}

/** Length limits count characters after entity parsing; the raw length is a close, stricter approximation. */
export function checkText(text: string | undefined, parseMode: string | undefined): string {
  if (text === undefined || text.trim() === '') throw badRequest('message text is empty');
  if (visibleLength(text, parseMode) > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  checkParseMode(text, parseMode);
  return text;
}

export function checkCaption(caption: string | undefined, parseMode: string | undefined): void {
  if (caption === undefined) return;
  if (visibleLength(caption, parseMode) > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
  checkParseMode(caption, parseMode);
}

function visibleLength(text: string, parseMode: string | undefined): number {
  if (parseMode !== 'HTML') return text.length;
  const parsed = tokenizeTelegramHtml(text);
  if ('error' in parsed) return text.length;
  return parsed.tokens.reduce((sum, token) => sum + (token.kind === 'text' ? token.text.length : 0), 0);
}

export function checkReplyMarkup(markup: ApiReplyMarkup | undefined): void {
  if (markup === undefined) return;
  if (typeof markup !== 'object' || markup === null) throw badRequest("can't parse reply keyboard markup JSON object");
  if (markup.inline_keyboard !== undefined) {
    if (!Array.isArray(markup.inline_keyboard) || !markup.inline_keyboard.every(Array.isArray)) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    for (const button of markup.inline_keyboard.flat()) {
      if (typeof button?.text !== 'string' || button.text === '') throw badRequest('text buttons are unallowed in the inline keyboard');
      if (button.callback_data !== undefined) {
        const size = Buffer.byteLength(String(button.callback_data));
        if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID');
      } else if (!Object.keys(button).some((key) => key !== 'text')) {
        throw badRequest('text buttons are unallowed in the inline keyboard');
      }
    }
  }
  if (markup.keyboard !== undefined) {
    if (!Array.isArray(markup.keyboard) || !markup.keyboard.every(Array.isArray)) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    }
  }
}
