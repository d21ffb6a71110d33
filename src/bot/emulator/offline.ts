/**
 * Offline Telegram for `npm start` without TELEGRAM_BOT_TOKEN: the emulator on a free 127.0.0.1 port and the web
 * chat on the configured port. The grammY bot is then built with `client: { apiRoot }` and runs unchanged.
 */
import { join } from 'node:path';
import type { Logger } from '../../logger.ts';
import { createBotApiEmulator, type BotApiEmulator } from './emulator.ts';
import { createWebChat, type WebChat } from './web-chat/server.ts';

export interface OfflineTelegramOptions {
  /** Port of the web chat (config telegram.webChatPort); 0 picks a free one. */
  webChatPort: number;
  /** The person at the browser; use the first allowed user id so the bot's allowlist admits them. */
  ownerId?: number;
  ownerLanguage?: string;
  /** Files the bot sends and the person uploads are kept under `<dataDir>/webchat-files`. */
  dataDir?: string;
  logger?: Logger;
}

export interface OfflineTelegram {
  token: string;
  apiRoot: string;
  webChatUrl: string;
  emulator: BotApiEmulator;
  webChat: WebChat;
  stop(): Promise<void>;
}

export async function startOfflineTelegram(options: OfflineTelegramOptions): Promise<OfflineTelegram> {
  const emulator = createBotApiEmulator({
    dataDir: options.dataDir ? join(options.dataDir, 'webchat-files') : undefined,
    // The conversation survives restarts (npm start again shows the same chat).
    historyFile: options.dataDir ? join(options.dataDir, 'webchat-files', 'history.json') : undefined,
    users: [
      { id: options.ownerId ?? 100001, first_name: 'Owner', username: 'owner', language_code: options.ownerLanguage ?? 'ru' },
      { id: 200002, first_name: 'Stranger', username: 'stranger', language_code: 'en' },
    ],
  });
  await emulator.start();
  const webChat = createWebChat({ emulator, port: options.webChatPort });
  try {
    await webChat.start();
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  options.logger?.info('offline Telegram: open the web chat in a browser', { webChat: webChat.url, botApi: emulator.apiRoot });
  return {
    token: emulator.token,
    apiRoot: emulator.apiRoot,
    webChatUrl: webChat.url,
    emulator,
    webChat,
    async stop() {
      await webChat.stop();
      await emulator.stop();
    },
  };
}
