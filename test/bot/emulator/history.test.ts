/** The web chat's history survives a restart of the emulator: transcript, numbering and the files themselves. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBotApiEmulator, type BotApiEmulator } from '../../../src/bot/emulator/index.ts';
import { solidPng } from '../../helpers/bot-api-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'ita-history-'));
let emulator: BotApiEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

describe('web chat history', () => {
  it('survives a restart', async () => {
    const options = { dataDir: join(dir, 'files'), historyFile: join(dir, 'files', 'history.json') };
    const first = createBotApiEmulator(options);
    await first.start();
    first.userSendText(first.owner, '/start');
    const png = solidPng(6, 4, [10, 200, 10]);
    const bot = await fetch(`${first.apiRoot}/bot${first.token}/sendMessage`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: first.owner.id, text: '<b>Hello</b>', parse_mode: 'HTML' }),
    });
    expect(bot.ok).toBe(true);
    const form = new FormData();
    form.set('chat_id', String(first.owner.id));
    form.set('photo', new Blob([png]), 'chart.png');
    expect((await fetch(`${first.apiRoot}/bot${first.token}/sendPhoto`, { method: 'POST', body: form })).ok).toBe(true);
    const before = first.messages(first.owner.id);
    await first.stop();

    emulator = createBotApiEmulator(options);
    await emulator.start();
    expect(emulator.messages(emulator.owner.id)).toEqual(before);
    const photo = before[2].photo![0];
    expect(emulator.file(photo.file_id)!.bytes.equals(png)).toBe(true);
    const next = emulator.userSendText(emulator.owner, 'again');
    expect(next.message_id).toBe(before[before.length - 1].message_id + 1);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
