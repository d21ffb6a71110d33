/**
 * Everything the emulator remembers — users, chats, transcripts, files, commands, callback answers — and the
 * event stream that lets tests and the web chat react to changes without polling.
 */
import type { ApiBotCommand, ApiChat, ApiMessage, ApiUser } from './api-types.ts';
import { badRequest, botBlocked } from './api-error.ts';
import { createFileStore, type FileStore } from './file-store.ts';
import { UpdateQueue } from './update-queue.ts';

/** A transcript entry: the Bot API message with edits applied, plus who sent it and the parse mode as given. */
export type TranscriptMessage = ApiMessage & { sender: 'bot' | 'user'; parse_mode?: string };

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  /** The data of the button whose press this answers. */
  data?: string;
  chatId?: number;
  /** Time from the press to this answer. */
  latencyMs?: number;
}

export interface CommandSet {
  scope: Record<string, unknown>;
  language_code: string;
  commands: ApiBotCommand[];
}

export type EmulatorEvent =
  | { type: 'message'; chatId: number; message: TranscriptMessage }
  | { type: 'edit'; chatId: number; message: TranscriptMessage }
  | { type: 'delete'; chatId: number; messageId: number }
  | { type: 'callback_answer'; answer: CallbackAnswer }
  | { type: 'commands' }
  | { type: 'chat_action'; chatId: number; action: string }
  | { type: 'api_call'; method: string }
  /** A getUpdates request is now held open, waiting for an update. */
  | { type: 'polling' };

export interface ChatRecord {
  chat: ApiChat;
  user: ApiUser;
  blocked: boolean;
  messages: Map<number, TranscriptMessage>;
}

export interface PendingCallback {
  data?: string;
  chatId?: number;
  answered: boolean;
  /** When the user pressed (emulator clock). */
  pressedAt?: number;
}

export class EmulatorState {
  readonly users = new Map<number, ApiUser>();
  readonly chats = new Map<number, ChatRecord>();
  readonly files: FileStore;
  readonly queue = new UpdateQueue(() => this.emit({ type: 'polling' }));
  readonly commandSets = new Map<string, CommandSet>();
  readonly callbackAnswers: CallbackAnswer[] = [];
  readonly pendingCallbacks = new Map<string, PendingCallback>();
  readonly settings: { webhookUrl: string; webhookSecret: string; menuButton: Record<string, unknown> } = { webhookUrl: '', webhookSecret: '', menuButton: { type: 'default' } };
  /** Tests may register an http://127.0.0.1 webhook (Telegram itself insists on HTTPS). */
  allowHttpWebhook = false;
  /** Called when a webhook is set (the emulator starts pushing updates to it). */
  webhookChanged: () => void = () => undefined;
  /** Telegram stops accepting an answer to a press after this long. */
  callbackTimeoutMs = 15_000;
  /** getFile refuses larger files, as the cloud Bot API does. */
  maxDownloadBytes = 20 * 1024 * 1024;
  private nextMessageId = 1;
  private listeners = new Set<(event: EmulatorEvent) => void>();

  constructor(
    readonly bot: ApiUser,
    readonly now: () => number,
    dataDir?: string,
  ) {
    this.files = createFileStore(dataDir);
  }

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  newMessageId(): number {
    return this.nextMessageId++;
  }

  peekMessageCounter(): number {
    return this.nextMessageId;
  }

  /** After loading a saved history: new messages continue its numbering. */
  restoreMessageCounter(next: number): void {
    this.nextMessageId = Math.max(this.nextMessageId, next);
  }

  addUser(user: Omit<ApiUser, 'is_bot'>): ApiUser {
    const full: ApiUser = { ...user, is_bot: false };
    this.users.set(full.id, full);
    return full;
  }

  /** Private chats have the user's id, as on Telegram. */
  chatOfUser(user: ApiUser): ChatRecord {
    let record = this.chats.get(user.id);
    if (!record) {
      const chat: ApiChat = { id: user.id, type: 'private', first_name: user.first_name };
      if (user.last_name) chat.last_name = user.last_name;
      if (user.username) chat.username = user.username;
      record = { chat, user, blocked: false, messages: new Map() };
      this.chats.set(user.id, record);
    }
    return record;
  }

  /** The chat a bot method addresses; refuses like Telegram when it is unknown or the user blocked the bot. */
  chatForBot(chatId: number | undefined): ChatRecord {
    if (chatId === undefined) throw badRequest('chat_id is empty');
    const record = this.chats.get(chatId) ?? (this.users.has(chatId) ? this.chatOfUser(this.users.get(chatId)!) : undefined);
    if (!record) throw badRequest('chat not found');
    if (record.blocked) throw botBlocked();
    return record;
  }

  findMessage(messageId: number): { record: ChatRecord; message: TranscriptMessage } | undefined {
    for (const record of this.chats.values()) {
      const message = record.messages.get(messageId);
      if (message) return { record, message };
    }
    return undefined;
  }

  subscribe(listener: (event: EmulatorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EmulatorEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  commandsFor(scope: Record<string, unknown>, languageCode: string): ApiBotCommand[] | undefined {
    return this.commandSets.get(commandKey(scope, languageCode))?.commands;
  }
}

export function commandKey(scope: Record<string, unknown>, languageCode: string): string {
  return JSON.stringify([scope.type ?? 'default', scope.chat_id ?? null, scope.user_id ?? null, languageCode]);
}

/** Bot API Message as the bot receives it: without the emulator's bookkeeping fields. */
export function toApiMessage(message: TranscriptMessage): ApiMessage {
  const { sender: _sender, parse_mode: _parseMode, ...rest } = message;
  return structuredClone(rest);
}
