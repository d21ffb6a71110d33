/** A 100 MB document from the web chat reaches the bot, which explains Telegram's 20 MB download limit. */
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChat, type WebChat } from '../../../src/bot/emulator/index.ts';
import { startIta, plain, type ItaHarness } from '../harness.ts';

let h: ItaHarness | undefined;
let chat: WebChat | undefined;
afterEach(async () => {
  await chat?.stop();
  await h?.stop();
  chat = undefined;
  h = undefined;
});

describe('large uploads', () => {
  it('100 MB through the web chat: accepted by the chat, refused by the bot with the reason and the way out', async () => {
    h = await startIta();
    chat = createWebChat({ emulator: h.emulator, port: 0 });
    await chat.start();
    const response = await fetch(`${chat.url}/api/upload-file?name=${encodeURIComponent('лекции.pdf')}&mime=application/pdf`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(100 * 1024 * 1024),
    });
    expect(response.status).toBe(200);
    const sent = (await response.json()) as { id: number };
    const reply = plain(await h.nextBotMessage(sent.id));
    expect(reply).toContain('«лекции.pdf» весит 100.0 МБ. Telegram разрешает ботам скачивать файлы не больше 20 МБ (Bot API getFile)');
    expect(reply).toContain('telegram.apiRoot');
    expect(h.emulator.calls.filter((c) => c.method === 'getFile')).toHaveLength(0);
  });

  it('over the web chat\'s own limit: a clear 413, not "body must be a JSON object"', async () => {
    h = await startIta();
    chat = createWebChat({ emulator: h.emulator, port: 0 });
    await chat.start();
    const response = await fetch(`${chat.url}/api/upload-file?name=huge.pdf`, {
      method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(300 * 1024 * 1024) }, body: Buffer.alloc(16),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Error) return; // the server may close the socket early; the status check below is the point
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/up to 256 MB .*20 MB \(Bot API getFile\)/);
  });
});
