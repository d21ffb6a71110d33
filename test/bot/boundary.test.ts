/**
 * The edges: strangers get nothing at all, a 429 is retried, a throwing service is answered by the error boundary
 * and the bot keeps working, an empty allowlist is refused loudly; plus the authorization filter's group rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Context } from 'grammy';
import { plain, startIta, type ItaHarness } from './harness.ts';
import { sampleSignal } from './fake-services.ts';
import { solidPng } from '../helpers/bot-api-client.ts';
import { signalRef } from '../../src/bot/signals/refs.ts';
import { authorizationFilter } from '../../src/bot/auth.ts';
import { createLogger } from '../../src/logger.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('authorization, retries and the error boundary', () => {
  it('a stranger’s messages and button presses get no answer at all and are logged by user id only', async () => {
    h = await startIta();
    const { emulator } = h;
    const stranger = emulator.stranger;
    emulator.userSendText(stranger, '/start');
    emulator.userSendText(stranger, 'hello?');
    emulator.userUploadDocument('x.md', Buffer.from('# x'), 'text/markdown', undefined, stranger);
    const { messageId } = await h.ita.sendSignal(h.ownerId, sampleSignal(), solidPng(2, 2, [1, 2, 3]));
    emulator.userPressButton(messageId, `sg:a:${signalRef(sampleSignal().id)}`, stranger);
    // The owner's next command is handled after the stranger's updates (one update queue), so they were processed.
    expect(plain(await h.say('/watchlist'))).toContain('Список пуст');
    await emulator.waitFor(() => h!.logs.filter((l) => l.includes('unauthorized')).length >= 4);
    expect(emulator.messages(stranger).filter((m) => m.sender === 'bot')).toHaveLength(0);
    expect(emulator.callbackAnswers).toHaveLength(0);
    expect(h.fakes.decisions).toHaveLength(0);
    expect(emulator.calls.filter((c) => c.method === 'getFile')).toHaveLength(0);
    const dropped = h.logs.filter((l) => l.includes('unauthorized'));
    expect(dropped.every((l) => l.includes(`userId=${stranger.id}`) && !l.includes('Stranger') && !l.includes('hello'))).toBe(true);
  });

  it('a 429 on sendMessage is retried after retry_after and the reply arrives once', async () => {
    h = await startIta();
    h.emulator.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const reply = await h.say('/start');
    expect(plain(reply)).toMatch(/^👋 Привет/);
    expect(h.emulator.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    expect(h.botMessages()).toHaveLength(1);
  });

  it('a throwing service gets a short apology in the user’s language, the cause is logged, the bot keeps working', async () => {
    h = await startIta();
    h.fakes.failStatus = true;
    expect(plain(await h.say('/status'))).toBe('⚠️ Что-то пошло не так. Ошибка записана в журнал; попробуйте ещё раз.');
    expect(h.logs.some((l) => l.includes('update handler failed') && l.includes('status store is locked'))).toBe(true);
    h.fakes.failStatus = false;
    expect(plain(await h.say('/status'))).toContain('Режим: paper');
  });

  it('an empty allowlist answers nobody and says so loudly at start-up', async () => {
    h = await startIta({ allowedUserIds: [] });
    expect(h.logs.some((l) => l.startsWith('') && l.includes('WARN') && l.includes('ALLOWLIST IS EMPTY'))).toBe(true);
    h.emulator.userSendText(h.ownerId, '/start');
    await h.emulator.waitFor(() => h!.logs.some((l) => l.includes('unauthorized')));
    expect(h.botMessages()).toHaveLength(0);
  });
});

describe('authorizationFilter', () => {
  const run = async (allowedChatIds: number[], from: number, chat: { id: number; type: string }) => {
    let passed = false;
    const filter = authorizationFilter({ allowedUserIds: [1], allowedChatIds }, createLogger({ write: () => undefined }));
    await filter({ from: { id: from }, chat } as unknown as Context, async () => void (passed = true));
    return passed;
  };
  it('admits allowed users in private chats and in allowed groups only', async () => {
    expect(await run([], 1, { id: 1, type: 'private' })).toBe(true);
    expect(await run([], 2, { id: 2, type: 'private' })).toBe(false);
    expect(await run([], 1, { id: -100, type: 'supergroup' })).toBe(false);
    expect(await run([-100], 1, { id: -100, type: 'supergroup' })).toBe(true);
    expect(await run([-100], 2, { id: -100, type: 'supergroup' })).toBe(false);
  });
});
