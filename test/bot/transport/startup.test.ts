/** With Telegram unreachable, start-up logs each retry with backoff, keeps trying, and does not block ITA. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createBot, type ItaBot } from '../../../src/bot/create-bot.ts';
import { createSqliteSessionStore } from '../../../src/bot/session/sqlite-storage.ts';
import { botMigrations } from '../../../src/bot/session/migrations.ts';
import { openDatabase, type OpenedDatabase } from '../../../src/engine/store/database.ts';
import { createLogger } from '../../../src/logger.ts';
import { createFakeServices, DEFAULT_SETTINGS } from '../fake-services.ts';
import { storeArea } from '../../helpers/store-area.ts';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('start-up with Telegram unreachable', () => {
  it('a server that never answers: start() returns, retries are logged with growing delays', async () => {
    const sockets = new Set<Socket>();
    const blackhole: Server = createServer((socket) => void sockets.add(socket)); // accepts, never answers
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => {
      sockets.forEach((s) => s.destroy());
      blackhole.close(() => resolve());
    }));
    const store: OpenedDatabase = await openDatabase(':memory:', { extraMigrations: { bot_migration: botMigrations } });
    cleanup.push(() => store.close());
    const logs: string[] = [];
    const ita: ItaBot = createBot({
      token: '123:abc', apiRoot: `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}`,
      services: createFakeServices().services, allowedUserIds: [1], allowedChatIds: [], defaultSettings: DEFAULT_SETTINGS,
      logger: createLogger({ level: 'debug', write: (line) => void logs.push(line) }),
      sessionStore: createSqliteSessionStore(storeArea(store.db)),
      connect: { attemptTimeoutMs: 150, baseDelayMs: 50, maxDelayMs: 400 },
    });
    cleanup.push(() => ita.stop());
    const started = Date.now();
    await ita.start();
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const retries = logs.filter((line) => line.includes('Telegram unreachable'));
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries[0]).toContain('attempt 1');
    expect(retries[0]).toContain('no answer within 150 ms');
    expect(retries[1]).toContain('retrying in 0.1 s');
  });
});
