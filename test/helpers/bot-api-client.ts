/**
 * Test helper: a real grammY bot long-polling the local Bot API emulator, plus a tiny PNG encoder for photo tests.
 */
import { deflateSync, crc32 } from 'node:zlib';
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

/** A valid RGB PNG of one solid colour (the format's own CRC and zlib framing, no image library). */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3])]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
