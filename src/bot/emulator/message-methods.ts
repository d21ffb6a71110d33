/**
 * Bot API methods that create, change or remove messages.
 */
import type { ApiMessage, ApiReplyMarkup } from './api-types.ts';
import { badRequest } from './api-error.ts';
import { toApiMessage, type ChatRecord, type EmulatorState, type TranscriptMessage } from './emulator-state.ts';
import { checkCaption, checkPhoto, checkReplyMarkup, checkText } from './message-rules.ts';
import { guessMime } from './file-store.ts';
import {
  optionalBool, optionalInt, optionalJson, optionalString, type RequestParams,
} from './request-params.ts';

export type MethodHandler = (params: RequestParams, signal: AbortSignal) => unknown;

export function messageMethods(state: EmulatorState): Record<string, MethodHandler> {
  const send = (params: RequestParams, content: Partial<ApiMessage>, parseMode?: string): ApiMessage => {
    const record = state.chatForBot(optionalInt(params, 'chat_id'));
    const replyMarkup = optionalJson<ApiReplyMarkup>(params, 'reply_markup');
    checkReplyMarkup(replyMarkup);
    const message: TranscriptMessage = {
      message_id: state.newMessageId(),
      from: state.bot,
      chat: record.chat,
      date: state.unixNow(),
      ...content,
      sender: 'bot',
    };
    const replyTo = replyTarget(params, record);
    if (replyTo) message.reply_to_message = toApiMessage(replyTo);
    if (replyMarkup?.inline_keyboard) message.reply_markup = { inline_keyboard: replyMarkup.inline_keyboard };
    else if (replyMarkup) message.reply_markup = replyMarkup;
    if (parseMode) message.parse_mode = parseMode;
    record.messages.set(message.message_id, message);
    state.emit({ type: 'message', chatId: record.chat.id, message: structuredClone(message) });
    return toApiMessage(message);
  };

  const mediaMessage = (params: RequestParams, field: 'photo' | 'document'): ApiMessage => {
    const caption = optionalString(params, 'caption');
    const parseMode = optionalString(params, 'parse_mode');
    checkCaption(caption, parseMode);
    state.chatForBot(optionalInt(params, 'chat_id'));
    const file = resolveUpload(state, params, field);
    if (field === 'photo') checkPhoto(file.bytes, file.width !== undefined && file.height !== undefined ? { width: file.width, height: file.height } : undefined);
    const content: Partial<ApiMessage> =
      field === 'photo'
        ? {
            photo: [{
              file_id: file.fileId, file_unique_id: file.fileUniqueId,
              width: file.width ?? 0, height: file.height ?? 0, file_size: file.bytes.length,
            }],
          }
        : {
            document: {
              file_id: file.fileId, file_unique_id: file.fileUniqueId, file_name: file.fileName,
              mime_type: file.mimeType, file_size: file.bytes.length,
            },
          };
    if (caption) content.caption = caption;
    return send(params, content, caption ? parseMode : undefined);
  };

  return {
    sendMessage: (params) => {
      const parseMode = optionalString(params, 'parse_mode');
      const text = checkText(optionalString(params, 'text'), parseMode);
      return send(params, { text }, parseMode);
    },
    sendPhoto: (params) => mediaMessage(params, 'photo'),
    sendDocument: (params) => mediaMessage(params, 'document'),
    // An album: 2–10 photos, each uploaded as attach://NAME or given by file_id; one message per photo, as Telegram.
    sendMediaGroup: (params) => {
      const media = optionalJson<{ type?: string; media?: string; caption?: string; parse_mode?: string }[]>(params, 'media');
      if (!Array.isArray(media) || media.length === 0) throw badRequest('parameter "media" is required');
      if (media.length > 10) throw badRequest('too many messages to send as an album');
      if (media.length < 2) throw badRequest('media group must include 2-10 items');
      if (media.some((m) => m.type !== 'photo')) throw badRequest('the emulator sends albums of photos only');
      return media.map((item) => {
        const { caption: _caption, parse_mode: _parseMode, reply_markup: _markup, ...rest } = params.values;
        const values: Record<string, unknown> = { ...rest, photo: item.media ?? '' };
        if (item.caption) values.caption = item.caption;
        if (item.caption && item.parse_mode) values.parse_mode = item.parse_mode;
        return mediaMessage({ values, files: params.files }, 'photo');
      });
    },
    editMessageText: (params) => {
      const parseMode = optionalString(params, 'parse_mode');
      const text = checkText(optionalString(params, 'text'), parseMode);
      return edit(state, params, (message) => {
        if (message.text === undefined) throw badRequest('there is no text in the message to edit');
        return { ...message, text, parse_mode: parseMode };
      });
    },
    editMessageCaption: (params) => {
      const caption = optionalString(params, 'caption');
      const parseMode = optionalString(params, 'parse_mode');
      checkCaption(caption, parseMode);
      return edit(state, params, (message) => {
        if (message.text !== undefined) throw badRequest('there is no caption in the message to edit');
        return { ...message, caption: caption || undefined, parse_mode: caption ? parseMode : undefined };
      });
    },
    editMessageReplyMarkup: (params) => edit(state, params, (message) => message),
    deleteMessage: (params) => {
      const record = state.chatForBot(optionalInt(params, 'chat_id'));
      const messageId = optionalInt(params, 'message_id');
      if (messageId === undefined || !record.messages.delete(messageId)) throw badRequest('message to delete not found');
      state.emit({ type: 'delete', chatId: record.chat.id, messageId });
      return true;
    },
  };
}

function replyTarget(params: RequestParams, record: ChatRecord): TranscriptMessage | undefined {
  const replyParameters = optionalJson<{ message_id?: number; allow_sending_without_reply?: boolean }>(params, 'reply_parameters');
  const messageId = replyParameters?.message_id ?? optionalInt(params, 'reply_to_message_id');
  if (messageId === undefined) return undefined;
  const target = record.messages.get(Number(messageId));
  const allowMissing = replyParameters?.allow_sending_without_reply ?? optionalBool(params, 'allow_sending_without_reply');
  if (!target && !allowMissing) throw badRequest('message to be replied not found');
  return target;
}

/** Applies an edit like Telegram: bot messages only, new markup replaces the old, identical content is refused. */
function edit(state: EmulatorState, params: RequestParams, change: (message: TranscriptMessage) => TranscriptMessage): ApiMessage {
  if (optionalString(params, 'inline_message_id')) throw badRequest('inline messages are not supported by the emulator');
  const record = state.chatForBot(optionalInt(params, 'chat_id'));
  const messageId = optionalInt(params, 'message_id');
  const current = messageId === undefined ? undefined : record.messages.get(messageId);
  if (!current) throw badRequest('message to edit not found');
  if (current.sender !== 'bot') throw badRequest("message can't be edited");
  const replyMarkup = optionalJson<ApiReplyMarkup>(params, 'reply_markup');
  checkReplyMarkup(replyMarkup);
  if (replyMarkup && !replyMarkup.inline_keyboard) throw badRequest('inline keyboard expected');
  const next: TranscriptMessage = change(structuredClone(current));
  // Telegram drops the inline keyboard when an edit does not repeat it.
  if (replyMarkup?.inline_keyboard?.length) next.reply_markup = { inline_keyboard: replyMarkup.inline_keyboard };
  else delete next.reply_markup;
  for (const key of ['parse_mode', 'caption'] as const) if (next[key] === undefined) delete next[key];
  if (sameContent(current, next)) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  next.edit_date = state.unixNow();
  record.messages.set(next.message_id, next);
  state.emit({ type: 'edit', chatId: record.chat.id, message: structuredClone(next) });
  return toApiMessage(next);
}

function sameContent(a: TranscriptMessage, b: TranscriptMessage): boolean {
  const pick = (m: TranscriptMessage) => JSON.stringify([m.text, m.caption, m.parse_mode ?? null, m.reply_markup ?? null]);
  return pick(a) === pick(b);
}

function resolveUpload(state: EmulatorState, params: RequestParams, field: 'photo' | 'document') {
  const value = optionalString(params, field);
  const attached = value?.startsWith('attach://') ? params.files.get(value.slice('attach://'.length)) : params.files.get(field);
  if (attached) {
    const mime = attached.contentType === 'application/octet-stream' ? guessMime(attached.filename) : attached.contentType;
    return state.files.put({ bytes: attached.bytes, fileName: attached.filename, mimeType: mime, kind: field === 'photo' ? 'photos' : 'documents' });
  }
  if (!value) throw badRequest(`there is no ${field} in the request`);
  const known = state.files.byId(value);
  if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
  return known;
}
