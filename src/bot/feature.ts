/**
 * What each feature module receives from createBot: the services, the registry to add commands to, a composer for
 * its button presses, and a few shared helpers. Features never touch the Bot object directly.
 */
import type { Api, Composer } from 'grammy';
import type { Logger } from '../logger.ts';
import type { BotContext } from './context.ts';
import type { CommandRegistry } from './commands/registry.ts';
import type { BotServices, Language, UserSettings } from './services.ts';
import type { SignalRefs } from './signals/refs.ts';
import type { Pager } from './render/pages.ts';

export interface FeatureDeps {
  services: BotServices;
  logger: Logger;
  registry: CommandRegistry;
  /** Button presses (callback queries) and other non-command updates. */
  handlers: Composer<BotContext>;
  refs: SignalRefs;
  /** Long lists as pages turned with ◀ ▶ (register a source per list kind). */
  pages: Pager;
  defaultExchange: string;
  /** The user's settings; one service call per update at most. */
  settingsOf(ctx: BotContext): Promise<UserSettings>;
  /** Starts work the chat must not wait for; a failure reaches the error boundary's user message and the log. */
  detached(target: { chatId: number; language: Language }, what: string, work: () => Promise<void>): void;
  /** The bot's own Api (with retry and throttling), for long jobs that outlive the update. */
  api(): Api;
  /** Downloads a file the user sent, by its Bot API file path. */
  download(filePath: string): Promise<Buffer>;
  /** Minimum time between two edits of a progress message. */
  progressIntervalMs: number;
}

export const html = { parse_mode: 'HTML' } as const;
