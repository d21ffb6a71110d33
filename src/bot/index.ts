export { createBot, type CreateBotOptions, type ItaBot } from './create-bot.ts';
export { CommandRegistry, type CommandSpec } from './commands/registry.ts';
export { botMigrations } from './session/migrations.ts';
export { createSqliteSessionStore, type BotSessionStore } from './session/sqlite-storage.ts';
export type { BotContext } from './context.ts';
export type * from './services.ts';
