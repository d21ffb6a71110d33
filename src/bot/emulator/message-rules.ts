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
/** Telegram parses entities first, then counts UTF-16 code units of the text left (trimmed); empty is refused. */
export function checkText(text: string | undefined, parseMode: string | undefined): string {
  if (text === undefined || text.trim() === '') throw badRequest('message text is empty');
  checkParseMode(text, parseMode);
  const length = visibleLength(text, parseMode);
  if (length === 0) throw badRequest('message text is empty');
  if (length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  return text;
}

export function checkCaption(caption: string | undefined, parseMode: string | undefined): void {
  if (caption === undefined) return;
  checkParseMode(caption, parseMode);
  if (visibleLength(caption, parseMode) > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
}

export function visibleLength(text: string, parseMode: string | undefined): number {
  if (parseMode !== 'HTML') return text.trim().length;
  const parsed = tokenizeTelegramHtml(text);
  if ('error' in parsed) return text.length;
  return parsed.tokens.map((token) => (token.kind === 'text' ? token.text : '')).join('').trim().length;
}

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** sendPhoto's limits: at most 10 MB, width + height ≤ 10,000, aspect ratio ≤ 20, and it must be an image. */
export function checkPhoto(bytes: Buffer, size: { width: number; height: number } | undefined): void {
  if (bytes.length > MAX_PHOTO_BYTES) throw badRequest('PHOTO_SAVE_FILE_INVALID');
  if (!size || size.width <= 0 || size.height <= 0) throw badRequest('IMAGE_PROCESS_FAILED');
  if (size.width + size.height > 10_000) throw badRequest('PHOTO_INVALID_DIMENSIONS');
  if (Math.max(size.width / size.height, size.height / size.width) > 20) throw badRequest('PHOTO_INVALID_DIMENSIONS');
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
