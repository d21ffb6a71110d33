/**
 * The emulator's HTTP surface spoken directly (fetch, JSON / urlencoded / multipart), checked against the
 * Bot API documentation's rules and Telegram's own error texts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotApiEmulator, type BotApiEmulator } from '../../../src/bot/emulator/index.ts';

let emulator: BotApiEmulator;
beforeEach(async () => {
  emulator = createBotApiEmulator({ now: () => Date.UTC(2024, 6, 1, 12, 0, 0) });
  await emulator.start();
});
afterEach(() => emulator.stop());

type ApiReply = { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after?: number } };

async function call(method: string, body?: Record<string, unknown>, token = emulator.token): Promise<ApiReply & { status: number }> {
  const response = await fetch(`${emulator.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: response.status, ...((await response.json()) as ApiReply) };
}

describe('getUpdates', () => {
  it('holds a long poll until an update arrives, then answers with it', async () => {
    const poll = call('getUpdates', { timeout: 20 });
    await emulator.waitFor(() => emulator.isPolling, 2000, 'poll held');
    emulator.userSendText(emulator.owner, 'hello /help');
    const reply = await poll;
    expect(reply.result).toHaveLength(1);
    expect(reply.result[0].message).toMatchObject({
      text: 'hello /help',
      date: Date.UTC(2024, 6, 1, 12, 0, 0) / 1000,
      chat: { id: emulator.owner.id, type: 'private' },
      from: { id: emulator.owner.id, is_bot: false, first_name: 'Owner', language_code: 'ru' },
      entities: [{ type: 'bot_command', offset: 6, length: 5 }],
    });
  });

  it('answers an empty list when the timeout ends', async () => {
    expect((await call('getUpdates', { timeout: 1 })).result).toEqual([]);
  });

  it('confirms updates by offset and honours limit', async () => {
    for (const text of ['a', 'b', 'c']) emulator.userSendText(emulator.owner, text);
    const first = (await call('getUpdates', { limit: 2 })).result;
    expect(first.map((u: any) => u.message.text)).toEqual(['a', 'b']);
    const again = (await call('getUpdates', {})).result; // nothing confirmed yet: same updates again
    expect(again.map((u: any) => u.message.text)).toEqual(['a', 'b', 'c']);
    const rest = (await call('getUpdates', { offset: first[1].update_id + 1 })).result;
    expect(rest.map((u: any) => u.message.text)).toEqual(['c']);
    expect((await call('getUpdates', { offset: rest[0].update_id + 1 })).result).toEqual([]);
  });

  it('drops update types outside allowed_updates', async () => {
    emulator.userSendText(emulator.owner, 'ignored');
    const reply = await call('getUpdates', { allowed_updates: ['callback_query'] });
    expect(reply.result).toEqual([]);
  });

  it('terminates the older of two waiting polls with 409, as Telegram does', async () => {
    const older = call('getUpdates', { timeout: 20 });
    await emulator.waitFor(() => emulator.isPolling, 2000, 'first poll held');
    const newer = call('getUpdates', { timeout: 20 });
    expect(await older).toMatchObject({ status: 409, ok: false, description: expect.stringMatching(/^Conflict: terminated by other getUpdates/) });
    emulator.userSendText(emulator.owner, 'x');
    expect((await newer).result).toHaveLength(1);
  });

  it('refuses getUpdates while a webhook is set', async () => {
    expect((await call('setWebhook', { url: 'https://example.org/hook' })).result).toBe(true);
    expect(await call('getUpdates')).toMatchObject({ status: 409, description: expect.stringContaining("can't use getUpdates method while webhook is active") });
    await call('deleteWebhook');
    expect((await call('getUpdates')).ok).toBe(true);
  });
});

describe('request bodies', () => {
  it('accepts urlencoded bodies with JSON-encoded objects', async () => {
    const response = await fetch(`${emulator.apiRoot}/bot${emulator.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(emulator.owner.id),
        text: 'Pick one',
        reply_markup: JSON.stringify({ keyboard: [[{ text: 'BTC' }, { text: 'ETH' }]], resize_keyboard: true }),
      }),
    });
    const reply = (await response.json()) as ApiReply;
    expect(reply.result.reply_markup.keyboard).toEqual([[{ text: 'BTC' }, { text: 'ETH' }]]);
    expect(reply.result.from).toMatchObject({ is_bot: true, id: 123456 });
  });

  it('accepts a standard multipart upload (WHATWG FormData) and re-sending by file_id', async () => {
    const form = new FormData();
    form.set('chat_id', String(emulator.owner.id));
    form.set('caption', 'Отчёт');
    form.set('document', new Blob([Buffer.from('a,b\r\n1,2\r\n')], { type: 'text/csv' }), 'trades.csv');
    const response = await fetch(`${emulator.apiRoot}/bot${emulator.token}/sendDocument`, { method: 'POST', body: form });
    const sent = ((await response.json()) as ApiReply).result;
    expect(sent.caption).toBe('Отчёт');
    expect(sent.document).toMatchObject({ file_name: 'trades.csv', mime_type: 'text/csv', file_size: 10 });
    expect(emulator.file(sent.document.file_id)?.bytes.toString()).toBe('a,b\r\n1,2\r\n');
    const again = await call('sendDocument', { chat_id: emulator.owner.id, document: sent.document.file_id });
    expect(again.result.document.file_id).toBe(sent.document.file_id);
    expect(await call('sendDocument', { chat_id: emulator.owner.id, document: 'nope' })).toMatchObject({
      status: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified',
    });
  });
});

describe('errors in Bot API shape', () => {
  const chat = () => emulator.owner.id;

  it('401, 404 and 400 with Telegram descriptions', async () => {
    expect(await call('getMe', {}, '1:bad')).toEqual({ status: 401, ok: false, error_code: 401, description: 'Unauthorized' });
    expect(await call('sendSticker', { chat_id: chat() })).toEqual({ status: 404, ok: false, error_code: 404, description: 'Not Found' });
    expect(await call('sendMessage', { chat_id: chat(), text: '' })).toMatchObject({ status: 400, description: 'Bad Request: message text is empty' });
    expect(await call('sendMessage', { chat_id: 42, text: 'hi' })).toMatchObject({ description: 'Bad Request: chat not found' });
    expect(await call('sendMessage', { chat_id: chat(), text: 'x'.repeat(4097) })).toMatchObject({ description: 'Bad Request: message is too long' });
    expect(await call('editMessageText', { chat_id: chat(), message_id: 999, text: 'x' })).toMatchObject({ description: 'Bad Request: message to edit not found' });
    expect(await call('deleteMessage', { chat_id: chat(), message_id: 999 })).toMatchObject({ description: 'Bad Request: message to delete not found' });
    expect(await call('getFile', { file_id: 'nope' })).toMatchObject({ description: 'Bad Request: invalid file_id' });
    expect(await call('answerCallbackQuery', { callback_query_id: '1' })).toMatchObject({ description: expect.stringContaining('query ID is invalid') });
    expect(await call('sendMessage', { chat_id: chat(), text: 'x', reply_parameters: { message_id: 999 } })).toMatchObject({
      description: 'Bad Request: message to be replied not found',
    });
  });

  it('refuses markup Telegram cannot parse', async () => {
    expect(await call('sendMessage', { chat_id: chat(), text: 'Entry <div>1</div>', parse_mode: 'HTML' })).toMatchObject({
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 6',
    });
    expect(await call('sendMessage', { chat_id: chat(), text: '<b>open', parse_mode: 'HTML' })).toMatchObject({
      description: 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    });
    expect(await call('sendMessage', { chat_id: chat(), text: 'R:R 2.5', parse_mode: 'MarkdownV2' })).toMatchObject({
      description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    });
    expect((await call('sendMessage', { chat_id: chat(), text: '*R:R* 2\\.5', parse_mode: 'MarkdownV2' })).ok).toBe(true);
    expect(await call('sendMessage', { chat_id: chat(), text: 'x', reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] } }))
      .toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
  });

  it('injects 429 with retry_after and 500 once each, then works again', async () => {
    emulator.failNext('sendMessage', { code: 429, retryAfter: 3 });
    emulator.failNext('sendMessage', { code: 500 });
    expect(await call('sendMessage', { chat_id: chat(), text: 'a' })).toEqual({
      status: 429, ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 },
    });
    expect(await call('sendMessage', { chat_id: chat(), text: 'a' })).toMatchObject({ status: 500, error_code: 500 });
    expect((await call('sendMessage', { chat_id: chat(), text: 'a' })).ok).toBe(true);
    expect(emulator.messages(chat())).toHaveLength(1);
  });

  it('edits: not modified, caption vs text, user messages, keyboard replacement', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] };
    const sent = (await call('sendMessage', { chat_id: chat(), text: 'v1', reply_markup: keyboard })).result;
    const target = { chat_id: chat(), message_id: sent.message_id };
    expect(await call('editMessageText', { ...target, text: 'v1', reply_markup: keyboard })).toMatchObject({
      description: expect.stringMatching(/^Bad Request: message is not modified/),
    });
    expect(await call('editMessageCaption', { ...target, caption: 'c' })).toMatchObject({ description: 'Bad Request: there is no caption in the message to edit' });
    const removed = await call('editMessageReplyMarkup', target);
    expect(removed.result.reply_markup).toBeUndefined();
    expect(removed.result.text).toBe('v1');
    const mine = emulator.userSendText(emulator.owner, 'my words');
    expect(await call('editMessageText', { chat_id: chat(), message_id: mine.message_id, text: 'x' })).toMatchObject({
      description: "Bad Request: message can't be edited",
    });
    expect((await call('deleteMessage', { chat_id: chat(), message_id: mine.message_id })).result).toBe(true);
    expect(emulator.messages(chat()).map((m) => [m.text, m.reply_markup])).toEqual([['v1', undefined]]);
  });
});
