/**
 * The real ITA bot (createBot) long-polling the local Bot API emulator, with fake services and an in-memory SQLite
 * store migrated with the bot's own migrations.
 */
import { createBotApiEmulator, type BotApiEmulator } from '../../src/bot/emulator/index.ts';
import type { TranscriptMessage } from '../../src/bot/emulator/index.ts';
import { createBot, type CreateBotOptions, type ItaBot } from '../../src/bot/create-bot.ts';
import { botMigrations } from '../../src/bot/session/migrations.ts';
import { createSqliteSessionStore } from '../../src/bot/session/sqlite-storage.ts';
import { openDatabase, type OpenedDatabase } from '../../src/engine/store/database.ts';
import { createLogger } from '../../src/logger.ts';
import { createFakeServices, DEFAULT_SETTINGS, type FakeControls } from './fake-services.ts';
import { storeArea } from '../helpers/store-area.ts';

export interface ItaHarness {
  emulator: BotApiEmulator;
  ita: ItaBot;
  fakes: FakeControls;
  store: OpenedDatabase;
  logs: string[];
  ownerId: number;
  botMessages(chatId?: number): TranscriptMessage[];
  /** Sends text as the owner and waits for the next bot message in the chat. */
  say(text: string, user?: number): Promise<TranscriptMessage>;
  nextBotMessage(after: number, chatId?: number): Promise<TranscriptMessage>;
  stop(): Promise<void>;
}

export async function startIta(
  options: { fakes?: FakeControls; bot?: Partial<CreateBotOptions>; allowedUserIds?: number[] } = {},
): Promise<ItaHarness> {
  const emulator = createBotApiEmulator();
  await emulator.start();
  const store = await openDatabase(':memory:', { extraMigrations: { bot_migration: botMigrations } });
  const fakes = options.fakes ?? createFakeServices();
  const logs: string[] = [];
  const ita = createBot({
    token: emulator.token,
    apiRoot: emulator.apiRoot,
    services: fakes.services,
    allowedUserIds: options.allowedUserIds ?? [emulator.owner.id],
    allowedChatIds: [],
    defaultSettings: DEFAULT_SETTINGS,
    logger: createLogger({ level: 'debug', write: (line) => void logs.push(line) }),
    sessionStore: createSqliteSessionStore(storeArea(store.db)),
    // Telegram's real per-chat pacing (1 msg/s) would make every test slow; the plugin itself stays in the path.
    throttle: { out: { maxConcurrent: 1, minTime: 0 } },
    progressIntervalMs: 300,
    ...options.bot,
  });
  await ita.start();
  await emulator.waitFor(() => emulator.isPolling, 5000, 'bot polling');
  const ownerId = emulator.owner.id;
  const botMessages = (chatId = ownerId) => emulator.messages(chatId).filter((m) => m.sender === 'bot');
  const nextBotMessage = (after: number, chatId = ownerId) =>
    emulator.waitFor(() => botMessages(chatId).find((m) => m.message_id > after), 5000, `a bot message after ${after}`);
  return {
    emulator, ita, fakes, store, logs, ownerId, botMessages, nextBotMessage,
    async say(text, user = ownerId) {
      const sent = emulator.userSendText(user, text);
      return nextBotMessage(sent.message_id, user);
    },
    async stop() {
      await ita.stop();
      await emulator.stop();
      await store.close();
    },
  };
}

/** What the person reads: the text or caption with Telegram HTML tags removed and entities decoded. */
export function plain(message: TranscriptMessage | undefined): string {
  const html = message?.text ?? message?.caption ?? '';
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
