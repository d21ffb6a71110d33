export { createBotApiEmulator, DEFAULT_TOKEN, type BotApiEmulator, type BotApiEmulatorOptions, type ApiCall } from './emulator.ts';
export type { TranscriptMessage, CallbackAnswer, CommandSet, EmulatorEvent } from './emulator-state.ts';
export type { InjectedFault } from './api-error.ts';
export { startOfflineTelegram, type OfflineTelegram, type OfflineTelegramOptions } from './offline.ts';
export { createWebChat, type WebChat, type WebChatOptions } from './web-chat/server.ts';
