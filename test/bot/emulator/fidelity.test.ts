/**
 * What real Telegram refuses, the emulator refuses too, with Telegram's error texts: HTML tags and attributes,
 * text empty after parsing, lengths after entity parsing in UTF-16 units, photo size / dimensions / type, presses
 * answered after 15 s, flood control with retry_after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBotApiEmulator, type BotApiEmulator } from '../../../src/bot/emulator/index.ts';
import { solidPng } from '../../../src/bot/emulator/png.ts';

let emulator: BotApiEmulator;
let now = Date.UTC(2024, 6, 1, 12, 0, 0);
afterEach(() => emulator.stop());

async function start(options: Parameters<typeof createBotApiEmulator>[0] = {}) {
  now = Date.UTC(2024, 6, 1, 12, 0, 0);
  emulator = createBotApiEmulator({ now: () => now, ...options });
  await emulator.start();
}

type Reply = { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after?: number } };

async function call(method: string, body: Record<string, unknown>): Promise<Reply> {
  const response = await fetch(`${emulator.apiRoot}/bot${emulator.token}/${method}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return (await response.json()) as Reply;
}

async function sendPhoto(bytes: Buffer, name = 'chart.png'): Promise<Reply> {
  const form = new FormData();
  form.set('chat_id', String(emulator.owner.id));
  form.set('photo', new Blob([bytes]), name);
  const response = await fetch(`${emulator.apiRoot}/bot${emulator.token}/sendPhoto`, { method: 'POST', body: form });
  return (await response.json()) as Reply;
}

/** A PNG header claiming the given size (the emulator reads IHDR only). */
function pngHeader(width: number, height: number, padTo = 0): Buffer {
  const png = solidPng(2, 2, [0, 0, 0]);
  const copy = Buffer.alloc(Math.max(png.length, padTo));
  png.copy(copy);
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  return copy;
}

describe('emulator fidelity', () => {
  it('HTML: span needs class tg-spoiler, tg-emoji needs emoji-id, text empty after parsing is refused', async () => {
    await start();
    const chat_id = emulator.owner.id;
    expect((await call('sendMessage', { chat_id, text: '<span>x</span>', parse_mode: 'HTML' })).description)
      .toBe('Bad Request: can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0');
    expect((await call('sendMessage', { chat_id, text: 'a <tg-emoji>👍</tg-emoji>', parse_mode: 'HTML' })).description)
      .toBe("Bad Request: can't parse entities: Invalid custom emoji identifier specified");
    expect((await call('sendMessage', { chat_id, text: '<b> </b>', parse_mode: 'HTML' })).description).toBe('Bad Request: message text is empty');
    expect((await call('sendMessage', { chat_id, text: '<div>x</div>', parse_mode: 'HTML' })).description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag "div"/);
    for (const ok of ['<span class="tg-spoiler">x</span>', '<tg-spoiler>x</tg-spoiler>', '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', '<a href="https://t.me">t</a>', '<blockquote>q</blockquote>', '<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del><code>c</code><pre>p</pre>']) {
      expect((await call('sendMessage', { chat_id, text: ok, parse_mode: 'HTML' })).ok, ok).toBe(true);
    }
  });

  it('length is counted after entity parsing in UTF-16 units', async () => {
    await start();
    const chat_id = emulator.owner.id;
    expect((await call('sendMessage', { chat_id, text: `<b>${'&amp;'.repeat(4096)}</b>`, parse_mode: 'HTML' })).ok).toBe(true);
    expect((await call('sendMessage', { chat_id, text: '😀'.repeat(2049) })).description).toBe('Bad Request: message is too long');
    expect((await call('sendMessage', { chat_id, text: '😀'.repeat(2048) })).ok).toBe(true);
  });

  it('photos: over 10 MB, width + height over 10,000, ratio over 20 and non-images are refused', async () => {
    await start();
    expect((await sendPhoto(pngHeader(1280, 720))).ok).toBe(true);
    expect((await sendPhoto(pngHeader(1280, 720, 10 * 1024 * 1024 + 1))).description).toBe('Bad Request: PHOTO_SAVE_FILE_INVALID');
    expect((await sendPhoto(pngHeader(6000, 4001))).description).toBe('Bad Request: PHOTO_INVALID_DIMENSIONS');
    expect((await sendPhoto(pngHeader(2100, 100))).description).toBe('Bad Request: PHOTO_INVALID_DIMENSIONS');
    expect((await sendPhoto(Buffer.from('not an image at all'), 'notes.txt')).description).toBe('Bad Request: IMAGE_PROCESS_FAILED');
  });

  it('a press answered after 15 s is refused as too old', async () => {
    await start();
    const sent = await call('sendMessage', { chat_id: emulator.owner.id, text: 'q', reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } });
    const id = emulator.userPressButton(sent.result.message_id, 'go');
    now += 15_001;
    expect((await call('answerCallbackQuery', { callback_query_id: id })).description)
      .toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');
    const second = emulator.userPressButton(sent.result.message_id, 'go');
    now += 14_000;
    expect((await call('answerCallbackQuery', { callback_query_id: second })).ok).toBe(true);
  });

  it('flood control: a burst beyond the per-chat limit gets 429 with retry_after; time heals it', async () => {
    await start({ flood: { perChatPerSecond: 1, perChatBurst: 3 } });
    const chat_id = emulator.owner.id;
    const replies = [];
    for (let i = 0; i < 4; i += 1) replies.push(await call('sendMessage', { chat_id, text: `m${i}` }));
    expect(replies.slice(0, 3).every((r) => r.ok)).toBe(true);
    expect(replies[3]).toMatchObject({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    now += 1000;
    expect((await call('sendMessage', { chat_id, text: 'later' })).ok).toBe(true);
  });
});
