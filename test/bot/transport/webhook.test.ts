/** Webhook mode: the emulator POSTs updates with the secret header; the bot answers; a wrong secret gets 401. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createBotApiEmulator, type BotApiEmulator } from '../../../src/bot/emulator/index.ts';
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

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('webhook mode', () => {
  it('receives updates by webhook with the secret token and refuses requests without it', async () => {
    const emulator: BotApiEmulator = createBotApiEmulator({ allowHttpWebhook: true });
    await emulator.start();
    cleanup.push(() => emulator.stop());
    const store: OpenedDatabase = await openDatabase(':memory:', { extraMigrations: { bot_migration: botMigrations } });
    cleanup.push(() => store.close());
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram`;
    const ita: ItaBot = createBot({
      token: emulator.token, apiRoot: emulator.apiRoot, services: createFakeServices().services,
      allowedUserIds: [emulator.owner.id], allowedChatIds: [], defaultSettings: DEFAULT_SETTINGS,
      logger: createLogger({ level: 'error', write: () => undefined }), sessionStore: createSqliteSessionStore(storeArea(store.db)),
      throttle: { out: { maxConcurrent: 1, minTime: 0 } },
      transport: { mode: 'webhook', url, secretToken: 'the_secret-42', host: '127.0.0.1', port },
    });
    await ita.start();
    await ita.ready();
    cleanup.push(() => ita.stop());
    expect(emulator.calls.map((c) => c.method)).toContain('setWebhook');
    expect(emulator.calls.find((c) => c.method === 'setWebhook')!.params).toMatchObject({ url, secret_token: 'the_secret-42' });

    const sent = emulator.userSendText(emulator.owner, '/help');
    const reply = await emulator.waitFor(() => emulator.messages(emulator.owner.id).find((m) => m.sender === 'bot' && m.message_id > sent.message_id));
    expect(reply.text).toContain('/help');

    const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' }, body: JSON.stringify({ update_id: 999, message: sent }) });
    expect(forged.status).toBe(401);
    const other = await fetch(`http://127.0.0.1:${port}/elsewhere`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
  });
});
