/**
 * The shipped application (src/main.ts, offline: sample replay + Bot API emulator + web chat) SIGKILLed at seeded
 * moments right after the trader presses Approve — while the decision, the governor, the entry fill and the stop
 * placement are under way — and started again each time. At every restart, once start-up is done (approvals left
 * without a verdict are resolved), the books must agree:
 *  - the journal's realized PnL equals the paper account's balance change (held units at their cost);
 *  - every position the paper broker holds is known to the executor, in the same state;
 *  - no order was sent twice (one entry order per position, one position per approved signal).
 * The Approve is the real button, pressed through the web chat's HTTP API while the bar replay waits for it.
 *
 * Default: 4 kills (about 90 s on a loaded 2-core machine: each start takes 10–20 s); ITA_KILL_TESTS=full: the 20.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/engine/backtest/random.ts';
import { ROOT } from '../helpers/candles.ts';

const FULL = process.env.ITA_KILL_TESTS === 'full';
const KILLS = FULL ? 20 : 4;
const START_USDT = 10_000;

interface App {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<void>;
}

function withoutToken(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { TELEGRAM_BOT_TOKEN: _token, ...rest } = env;
  return rest;
}

function startApp(dataDir: string): Promise<App> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...withoutToken(process.env), ITA_DATA_DIR: dataDir, ITA_WEBCHAT_PORT: '0', ITA_REPLAY_SPEED: '40', ITA_REPLAY_DAYS: FULL ? '60' : '8',
        ITA_REPLAY_DECISION_WAIT: '600', ITA_MIN_SCORE: '5', ITA_LANGUAGE: 'en', ITA_LOG_LEVEL: 'info',
      },
    });
    let stderr = '';
    let url: string | undefined;
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const timer = setTimeout(() => reject(new Error(`the app did not start in 60 s:\n${stderr.slice(-2000)}`)), 60_000);
    child.stderr!.on('data', (d) => {
      stderr += d;
      url ??= /offline web chat: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
      if (url && stderr.includes('ITA started')) {
        clearTimeout(timer);
        resolve({ child, url, stderr: () => stderr, exited });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!url || !stderr.includes('ITA started')) reject(new Error(`the app exited (${code}) before it started:\n${stderr.slice(-2000)}`));
    });
  });
}

interface View {
  id: number;
  sender: string;
  html: string;
  photoUrl?: string;
  inlineKeyboard?: { text: string; data?: string }[][];
}

async function messages(app: App): Promise<View[]> {
  return ((await (await fetch(`${app.url}/api/state`)).json()) as { messages: View[] }).messages;
}

const post = (app: App, route: string, body: unknown) =>
  fetch(`${app.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * The next LONG signal card with an Approve button not pressed yet (the bar replay holds the clock until a card is
 * decided). Short cards are approved and left to finish: the spot paper broker refuses them, nothing to kill there.
 */
async function nextLong(app: App, pressed: Set<string>, dbFile: string): Promise<{ id: number; data: string }> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    for (const m of await messages(app)) {
      const approve = m.sender === 'bot' && m.photoUrl ? m.inlineKeyboard?.flat().find((b) => /Approve/.test(b.text) && b.data) : undefined;
      if (!approve || pressed.has(approve.data!)) continue;
      pressed.add(approve.data!);
      if (/LONG/.test(m.html)) return { id: m.id, data: approve.data! };
      const reader = new Database(dbFile, { readonly: true });
      try {
        const before = counts(reader);
        await post(app, '/api/press', { messageId: m.id, data: approve.data! });
        await waitForMoment(reader, before, 'verdicts');
      } finally {
        reader.close();
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no new long signal card within 90 s:\n${app.stderr().slice(-1500)}`);
}

const ANCHORS = ['decisions', 'entries', 'stops'] as const;
type Counts = Record<(typeof ANCHORS)[number] | 'verdicts', number>;

function counts(db: Database.Database): Counts {
  const n = (q: string) => (db.prepare(q).get() as { n: number }).n;
  return {
    decisions: n(`SELECT COUNT(*) AS n FROM decisions`),
    entries: n(`SELECT COUNT(*) AS n FROM exec_orders WHERE role = 'entry'`),
    stops: n(`SELECT COUNT(*) AS n FROM exec_orders WHERE role = 'stop'`),
    verdicts: n(`SELECT COUNT(*) AS n FROM executor_verdicts`),
  };
}

/**
 * Polls (one reader kept open: each statement sees the app's latest commit) until the anchor's row count grows, or
 * the verdict is written first (a refused signal never gets an entry order).
 */
async function waitForMoment(db: Database.Database, before: Counts, anchor: keyof Counts): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const now = counts(db);
    if (now[anchor] > before[anchor] || now.verdicts > before.verdicts) return;
    await new Promise((r) => setImmediate(r));
  }
}

/** The three invariants, read from the application's own database. */
function checkBooks(dbFile: string, label: string): { positions: number; closed: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const broker = db.prepare(`SELECT id, status, remaining, entry_price, realized_pnl FROM exec_positions WHERE account = 'paper'`).all() as
      { id: string; status: string; remaining: number; entry_price: number; realized_pnl: number }[];
    const journal = new Map((db.prepare(`SELECT id, status, pnl FROM executor_positions WHERE account = 'paper'`).all() as
      { id: string; status: string; pnl: number | null }[]).map((r) => [r.id, r]));
    // Every broker position is known to the executor, in the same state.
    for (const p of broker) {
      const j = journal.get(p.id);
      expect({ label, id: p.id, known: j !== undefined }).toEqual({ label, id: p.id, known: true });
      const live = (s: string) => (s === 'open' || s === 'pending' ? 'live' : s === 'canceled' ? 'canceled' : 'closed');
      expect({ label, id: p.id, state: live(j!.status) }).toEqual({ label, id: p.id, state: live(p.status) });
    }
    // Journal PnL = balance change: closed trades as journaled, open positions' partial results, held units at cost.
    const usdt = db.prepare(`SELECT free + used AS total FROM paper_balances WHERE account = 'paper' AND asset = 'USDT'`).get() as { total: number } | undefined;
    const closedPnl = [...journal.values()].filter((j) => j.status === 'closed').reduce((s, j) => s + (j.pnl ?? 0), 0);
    const open = broker.filter((p) => p.status === 'open' || p.status === 'pending');
    const expected = START_USDT + closedPnl + open.reduce((s, p) => s + p.realized_pnl - p.remaining * p.entry_price, 0);
    expect({ label, usdt: Number((usdt?.total ?? START_USDT).toFixed(6)) }).toEqual({ label, usdt: Number(expected.toFixed(6)) });
    // No order twice: one entry order per broker position, one decision per signal, a verdict for every approval.
    const entries = db.prepare(`SELECT client_order_id AS id FROM paper_orders WHERE account = 'paper' AND client_order_id LIKE '%-e'`).all() as { id: string }[];
    expect({ label, entries: entries.length, unique: new Set(entries.map((e) => e.id)).size }).toEqual({ label, entries: broker.length, unique: broker.length });
    const undecided = db.prepare(`SELECT d.signal_id FROM decisions d WHERE d.kind = 'approve' AND NOT EXISTS (SELECT 1 FROM executor_verdicts v WHERE v.signal_id = d.signal_id)`).all();
    expect({ label, undecided }).toEqual({ label, undecided: [] });
    return { positions: broker.length, closed: [...journal.values()].filter((j) => j.status === 'closed').length };
  } finally {
    db.close();
  }
}

describe('the offline app SIGKILLed around Approve', () => {
  it(`${KILLS} kills at seeded moments after Approve: after each restart the books agree and nothing is doubled`, { timeout: FULL ? 900_000 : 240_000 }, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ita-approve-kill-'));
    const dbFile = path.join(dataDir, 'ita.sqlite');
    const random = seededRandom(20261202);
    const pressed = new Set<string>();
    let kills = 0;
    let resolvedAtStart = 0;
    let approvedLongs = 0;
    let last = { positions: 0, closed: 0 };
    for (let i = 0; i <= KILLS; i++) {
      const app = await startApp(dataDir);
      try {
        // Start-up (resolution of approvals without a verdict included) is done: the books must agree now.
        if (i > 0) last = checkBooks(dbFile, `after restart ${i}`);
        if (app.stderr().includes('approvals without a verdict resolved at start-up')) resolvedAtStart++;
        if (i === KILLS) break;
        const signal = await nextLong(app, pressed, dbFile);
        approvedLongs++;
        // The kill lands 0–8 ms after one of three moments of the approval, seen in the app's own database: the
        // decision row, the entry order row, the stop order row (or after the verdict if the moment never comes).
        const anchor = ANCHORS[Math.floor(random() * ANCHORS.length)];
        const delay = Math.floor(random() * 8);
        const reader = new Database(dbFile, { readonly: true });
        try {
          const before = counts(reader);
          await post(app, '/api/press', { messageId: signal.id, data: signal.data });
          await waitForMoment(reader, before, anchor);
          if (delay > 0) await new Promise((r) => setTimeout(r, delay));
          app.child.kill('SIGKILL');
        } finally {
          reader.close();
        }
      } finally {
        if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
        kills++;
        await app.exited;
      }
    }
    expect(kills).toBe(KILLS + 1);
    // The kills happened while trades were being made: approvals became broker positions.
    expect(approvedLongs).toBe(KILLS);
    expect(last.positions).toBeGreaterThanOrEqual(1);
    // Kills landed inside approvals (the start-up resolution had something to do); timing-dependent, so only the
    // long run insists on it. Without the resolution, such a restart fails the "a verdict for every approval" check.
    if (FULL) expect(resolvedAtStart).toBeGreaterThanOrEqual(1);
    console.log(`approve-kill: ${kills} kills, ${resolvedAtStart} restart(s) found an approval without a verdict, ${last.positions} broker position(s), ${last.closed} closed`);
  });
});
