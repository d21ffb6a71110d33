/**
 * What the web chat page draws for one message. Formatting is rendered to safe HTML here, on the server, so the
 * page never interprets bot-supplied markup itself.
 */
import type { TranscriptMessage } from '../emulator-state.ts';
import { escapeHtml, renderTelegramHtml } from '../telegram-html.ts';
import { renderMarkdownV2 } from '../telegram-markdown.ts';

export interface MessageView {
  id: number;
  sender: 'bot' | 'user';
  html: string;
  time: string;
  edited: boolean;
  photoUrl?: string;
  document?: { name: string; size: number; url: string };
  inlineKeyboard?: Array<Array<{ text: string; data?: string; url?: string }>>;
  /** A reply keyboard to show under the input, or 'remove' to hide it. */
  replyKeyboard?: string[][] | 'remove';
  replyTo?: string;
}

export function renderFormatted(text: string, parseMode: string | undefined): string {
  if (parseMode === 'HTML') return renderTelegramHtml(text);
  if (parseMode === 'MarkdownV2') {
    const rendered = renderMarkdownV2(text);
    return 'html' in rendered ? rendered.html : escapeHtml(text);
  }
  return escapeHtml(text);
}

export function toMessageView(message: TranscriptMessage): MessageView {
  const body = message.text ?? message.caption ?? '';
  const view: MessageView = {
    id: message.message_id,
    sender: message.sender,
    html: renderFormatted(body, message.parse_mode),
    time: new Date(message.date * 1000).toISOString().slice(11, 16),
    edited: message.edit_date !== undefined,
  };
  const photo = message.photo?.[message.photo.length - 1];
  if (photo) view.photoUrl = `/files/${encodeURIComponent(photo.file_id)}`;
  if (message.document) {
    view.document = {
      name: message.document.file_name ?? 'document',
      size: message.document.file_size,
      url: `/files/${encodeURIComponent(message.document.file_id)}?download=1`,
    };
  }
  const inline = message.reply_markup?.inline_keyboard;
  if (inline?.length) {
    view.inlineKeyboard = inline.map((row) =>
      row.map((button) => ({
        text: button.text,
        ...(button.callback_data !== undefined ? { data: button.callback_data } : {}),
        ...(typeof button.url === 'string' && /^https?:/i.test(button.url) ? { url: button.url } : {}),
      })),
    );
  }
  if (message.reply_markup?.keyboard) view.replyKeyboard = message.reply_markup.keyboard.map((row) => row.map((b) => b.text));
  else if (message.reply_markup?.remove_keyboard) view.replyKeyboard = 'remove';
  const quoted = message.reply_to_message;
  if (quoted) view.replyTo = (quoted.text ?? quoted.caption ?? (quoted.photo ? 'Photo' : 'Document')).slice(0, 80);
  return view;
}
