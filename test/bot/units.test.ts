/**
 * Small pieces without Telegram: the command parser and registry rules, the throttled progress message, the SQLite
 * session store (survives reopening the file), and signal references.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from 'grammy';
import { CommandRegistry, parseCommand } from '../../src/bot/commands/registry.ts';
import { startProgress } from '../../src/bot/progress.ts';
import { botMigrations } from '../../src/bot/session/migrations.ts';
import { createSqliteSessionStore } from '../../src/bot/session/sqlite-storage.ts';
import { signalRef } from '../../src/bot/signals/refs.ts';
import { openDatabase } from '../../src/engine/store/database.ts';
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

describe('SQLite session store', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('keeps values per prefix across a reopen of the database file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ita-bot-'));
    const file = path.join(dir, 'ita.sqlite');
    const first = await openDatabase(file, { extraMigrations: { bot_migration: botMigrations } });
    const sessions = createSqliteSessionStore(storeArea(first.db)).adapter<{ language: string }>('session');
    await sessions.write('100001', { language: 'en' });
    await sessions.write('100001', { language: 'ru' });
    await createSqliteSessionStore(storeArea(first.db)).adapter<string>('other').write('100001', 'x');
    await first.close();
    const second = await openDatabase(file, { extraMigrations: { bot_migration: botMigrations } });
    const reopened = createSqliteSessionStore(storeArea(second.db)).adapter<{ language: string }>('session');
    expect(await reopened.read('100001')).toEqual({ language: 'ru' });
    expect(await reopened.read('42')).toBeUndefined();
    await reopened.delete('100001');
    expect(await reopened.read('100001')).toBeUndefined();
    expect(await createSqliteSessionStore(storeArea(second.db)).adapter<string>('other').read('100001')).toBe('x');
    await second.close();
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
