/**
 * The human side of the chat: what a Telegram client would send to the bot as updates.
 */
import { randomBytes } from 'node:crypto';
import type { ApiMessage, ApiMessageEntity, ApiUser } from './api-types.ts';
import { toApiMessage, type EmulatorState, type TranscriptMessage } from './emulator-state.ts';

export type UserRef = ApiUser | number;

export function resolveUser(state: EmulatorState, ref: UserRef): ApiUser {
  const id = typeof ref === 'number' ? ref : ref.id;
  const user = state.users.get(id);
  if (!user) throw new Error(`emulator: unknown user ${id}; add it with addUser() first`);
  return user;
}

/** Telegram marks every /command (optionally /command@bot) that starts a word. */
export function botCommandEntities(text: string): ApiMessageEntity[] {
  const entities: ApiMessageEntity[] = [];
  for (const match of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s)/g)) {
    entities.push({ type: 'bot_command', offset: match.index + match[1].length, length: match[2].length });
  }
  return entities;
}

function userMessage(state: EmulatorState, user: ApiUser, content: Partial<ApiMessage>, replyToMessageId?: number): TranscriptMessage {
  const record = state.chatOfUser(user);
  const message: TranscriptMessage = {
    message_id: state.newMessageId(),
    from: user,
    chat: record.chat,
    date: state.unixNow(),
    ...content,
    sender: 'user',
  };
  const replyTo = replyToMessageId === undefined ? undefined : record.messages.get(replyToMessageId);
  if (replyTo) message.reply_to_message = toApiMessage(replyTo);
  record.messages.set(message.message_id, message);
  state.emit({ type: 'message', chatId: record.chat.id, message: structuredClone(message) });
  state.queue.push({ message: toApiMessage(message) });
  return structuredClone(message);
}

export function sendText(state: EmulatorState, ref: UserRef, text: string, replyToMessageId?: number): TranscriptMessage {
  if (text.trim() === '') throw new Error('emulator: a Telegram client cannot send an empty message');
  const entities = botCommandEntities(text);
  return userMessage(state, resolveUser(state, ref), { text, ...(entities.length ? { entities } : {}) }, replyToMessageId);
}

export function uploadDocument(
  state: EmulatorState,
  ref: UserRef,
  input: { name: string; bytes: Uint8Array; mime?: string; caption?: string },
): TranscriptMessage {
  const file = state.files.put({ bytes: Buffer.from(input.bytes), fileName: input.name, mimeType: input.mime, kind: 'documents' });
  const content: Partial<ApiMessage> = {
    document: {
      file_id: file.fileId, file_unique_id: file.fileUniqueId, file_name: file.fileName,
      mime_type: file.mimeType, file_size: file.bytes.length,
    },
  };
  if (input.caption) {
    content.caption = input.caption;
    const entities = botCommandEntities(input.caption);
    if (entities.length) content.caption_entities = entities;
  }
  return userMessage(state, resolveUser(state, ref), content);
}

/** A photo the user sends (Telegram gives the bot its sizes; the emulator one size, the original). */
export function uploadPhoto(state: EmulatorState, ref: UserRef, input: { bytes: Uint8Array; caption?: string }): TranscriptMessage {
  const file = state.files.put({ bytes: Buffer.from(input.bytes), fileName: 'photo.jpg', mimeType: 'image/jpeg', kind: 'photos' });
  const content: Partial<ApiMessage> = {
    photo: [{ file_id: file.fileId, file_unique_id: file.fileUniqueId, width: file.width ?? 0, height: file.height ?? 0, file_size: file.bytes.length }],
  };
  if (input.caption) content.caption = input.caption;
  return userMessage(state, resolveUser(state, ref), content);
}

/** A press of an inline button; refuses presses a real client could not make (no such message or button). */
export function pressButton(state: EmulatorState, ref: UserRef, messageId: number, callbackData: string): string {
  const user = resolveUser(state, ref);
  const found = state.findMessage(messageId);
  if (!found) throw new Error(`emulator: message ${messageId} does not exist (deleted?)`);
  const buttons = found.message.reply_markup?.inline_keyboard?.flat() ?? [];
  if (!buttons.some((button) => button.callback_data === callbackData)) {
    const offered = buttons.map((button) => button.callback_data).filter(Boolean).join(', ') || 'none';
    throw new Error(`emulator: message ${messageId} has no button with callback_data "${callbackData}" (has: ${offered})`);
  }
  const id = randomBytes(8).readBigUInt64BE().toString();
  state.pendingCallbacks.set(id, { data: callbackData, chatId: found.record.chat.id, answered: false, pressedAt: state.now() });
  state.queue.push({
    callback_query: {
      id,
      from: user,
      message: toApiMessage(found.message),
      chat_instance: String(found.record.chat.id * 7919),
      data: callbackData,
    },
  });
  return id;
}
