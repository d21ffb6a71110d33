/**
 * Small pieces without Telegram: the command parser and registry rules, the throttled progress message, the session
 * store on either backend (survives reopening the store), and signal references.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from 'grammy';
import { CommandRegistry, parseCommand } from '../../src/bot/commands/registry.ts';
import { startProgress } from '../../src/bot/progress.ts';
import { botMigrations } from '../../src/bot/session/migrations.ts';
import { createSqliteSessionStore } from '../../src/bot/session/sqlite-storage.ts';
import { signalRef } from '../../src/bot/signals/refs.ts';
import { openDatabase } from '../../src/engine/store/database.ts';
import { describeBackends, type StoreLocation } from '../helpers/backends.ts';
import { storeArea } from '../helpers/store-area.ts';

afterEach(() => void vi.useRealTimers());

describe('command parsing and registry', () => {
  it('parses /name, /name@bot and arguments', () => {
    expect(parseCommand('/watch BTC/USDT 1h')).toEqual({ name: 'watch', target: undefined, args: 'BTC/USDT 1h' });
    expect(parseCommand('/Help@ita_bot')).toEqual({ name: 'help', target: 'ita_bot', args: '' });
    expect(parseCommand('hello /watch')).toBeUndefined();
    expect(parseCommand('/')).toBeUndefined();
  });

  it('refuses invalid names and missing translations', () => {
    const registry = new CommandRegistry();
    expect(() => registry.register({ name: 'Bad-Name', description: { en: 'x', ru: 'x' }, handler: () => undefined })).toThrow(/must match/);
    expect(() => registry.register({ name: 'ok', description: { en: 'x', ru: '' }, handler: () => undefined })).toThrow(/ru description/);
    registry.register({ name: 'secret', description: { en: 'x', ru: 'х' }, handler: () => undefined, hidden: true });
    expect(registry.menu('en')).toEqual([]);
  });
});

describe('progress message', () => {
  it('coalesces updates to at most one edit per interval and always writes the final text', async () => {
    vi.useFakeTimers();
    const edits: Array<{ at: number; text: string }> = [];
    const api = {
      sendMessage: async () => ({ message_id: 5 }),
      editMessageText: async (_chat: number, _id: number, text: string) => void edits.push({ at: Date.now(), text }),
    } as unknown as Api;
    const progress = await startProgress(api, 1, 'start', { intervalMs: 1000 });
    for (let i = 1; i <= 50; i += 1) {
      progress.update(`step ${i}`);
      await vi.advanceTimersByTimeAsync(40); // 50 updates over 2 s
    }
    const finishing = progress.finish('done');
    await vi.runAllTimersAsync();
    await finishing;
    expect(edits.at(-1)?.text).toBe('done');
    expect(edits.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < edits.length; i += 1) expect(edits[i].at - edits[i - 1].at).toBeGreaterThanOrEqual(1000);
  });
});

describeBackends('session store', (backend) => {
  let location: StoreLocation;
  beforeEach(async () => {
    location = await backend.create();
  });
  afterEach(() => location.drop());

  it('keeps values per prefix across a reopen of the store', async () => {
    const first = await openDatabase(location.target, { extraMigrations: { bot_migration: botMigrations } });
    const sessions = createSqliteSessionStore(storeArea(first.db)).adapter<{ language: string }>('session');
    await sessions.write('100001', { language: 'en' });
    await sessions.write('100001', { language: 'ru' });
    await createSqliteSessionStore(storeArea(first.db)).adapter<string>('other').write('100001', 'x');
    await first.close();
    const second = await openDatabase(location.target, { extraMigrations: { bot_migration: botMigrations } });
    const reopened = createSqliteSessionStore(storeArea(second.db)).adapter<{ language: string }>('session');
    expect(await reopened.read('100001')).toEqual({ language: 'ru' });
    expect(await reopened.read('42')).toBeUndefined();
    await reopened.delete('100001');
    expect(await reopened.read('100001')).toBeUndefined();
    expect(await createSqliteSessionStore(storeArea(second.db)).adapter<string>('other').read('100001')).toBe('x');
    await second.close();
  });

  it('round-trips any JSON value (Cyrillic, emoji, a NUL character, big epoch ms) and answers has()', async () => {
    const opened = await openDatabase(location.target, { extraMigrations: { bot_migration: botMigrations } });
    try {
      const conversations = createSqliteSessionStore(storeArea(opened.db), () => 1_764_633_600_123).adapter<unknown>('conversation');
      const state = { text: 'Привет 👋 a\u0000b', at: 1_764_633_600_123, steps: [1.5, null, { deep: true }] };
      expect(await conversations.has?.('7')).toBe(false);
      await conversations.write('7', state);
      expect(await conversations.has?.('7')).toBe(true);
      expect(await conversations.read('7')).toEqual(state);
      const { rows } = await sql<{ updated_at: number }>`SELECT updated_at FROM bot_kv WHERE key = 'conversation:7'`.execute(opened.db);
      expect(rows).toEqual([{ updated_at: 1_764_633_600_123 }]);
    } finally {
      await opened.close();
    }
  });
});

describe('signal references', () => {
  it('are short, URL-safe and stable for the same id', () => {
    const id = 'ob-retest@3f9a2c1d7e:binance:BTC/USDT:1h:1719792000000:long';
    expect(signalRef(id)).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(signalRef(id)).toBe(signalRef(id));
    expect(signalRef(id)).not.toBe(signalRef(id.replace('long', 'short')));
  });
});
