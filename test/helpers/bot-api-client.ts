/**
 * Test helper: a real grammY bot long-polling the local Bot API emulator, plus a tiny PNG encoder for photo tests.
 */
import { Bot } from 'grammy';
import { createBotApiEmulator, type BotApiEmulator, type BotApiEmulatorOptions } from '../../src/bot/emulator/index.ts';

export interface BotHarness {
  emulator: BotApiEmulator;
  bot: Bot;
  stop(): Promise<void>;
}

/** Starts the emulator, lets `setup` install handlers, then starts long polling and waits until it runs. */
export async function startBotOnEmulator(
  setup: (bot: Bot, emulator: BotApiEmulator) => void,
  options: BotApiEmulatorOptions = {},
): Promise<BotHarness> {
  const emulator = createBotApiEmulator(options);
  await emulator.start();
  const bot = new Bot(emulator.token, { client: { apiRoot: emulator.apiRoot } });
  setup(bot, emulator);
  const errors: unknown[] = [];
  bot.catch((error) => void errors.push(error));
  await new Promise<void>((resolve, reject) => {
    bot.start({ timeout: 10, onStart: () => resolve() }).catch(reject);
  });
  return {
    emulator,
    bot,
    async stop() {
      await bot.stop();
      await emulator.stop();
      if (errors.length) throw new Error(`bot handler errors: ${errors.map(String).join('; ')}`);
    },
  };
}

export { solidPng } from '../../src/bot/emulator/png.ts';
