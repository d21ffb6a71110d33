/**
 * Crash-safe approvals: an Approve journaled by the bot whose executor verdict never got written (the process died
 * in between) is resolved at the next start-up — adopted when the broker already holds it (no second order), re-driven
 * when still valid, refused when expired — and each answer becomes a verdict and a line for the trader.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordDecision } from '../../../../src/engine/journal/decisions.ts';
import { saveSignals } from '../../../../src/engine/journal/signals.ts';
import { openDatabase } from '../../../../src/engine/store/database.ts';
import { pendingApprovals, resolvePendingApprovals } from '../../../../src/engine/exec/executor/recovery.ts';
import { execMigrations, EXEC_MIGRATION_TABLE } from '../../../../src/engine/exec/store/migrations.ts';
import { EXECUTOR_MIGRATION_TABLE, executorMigrations } from '../../../../src/engine/exec/executor/schema.ts';
import { resolvedApprovalsText } from '../../../../src/bot/execution/notify.ts';
import type { Signal } from '../../../../src/engine/types.ts';
import { candle, HOUR, openHarness, signal, T0, tempDbFile, warmUp, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function fullSignal(i: number, over: Partial<Signal> = {}): Signal {
  return {
    ...signal(i), setupName: 'test', exchange: 'binance', targets: [], rr: 2, score: 7, rank: 1, reasons: { strengths: [], weaknesses: [] }, ...over,
  } as Signal;
}

/** The bot's side of an Approve: the signal in the journal and the decision row, written before the executor runs. */
async function journalApproval(file: string, s: Signal, decidedAt = s.ts + HOUR): Promise<void> {
  const { db, close } = await openDatabase(file, { extraMigrations: { [EXEC_MIGRATION_TABLE]: execMigrations, [EXECUTOR_MIGRATION_TABLE]: executorMigrations } });
  await saveSignals(db, [s], s.ts);
  await recordDecision(db, { signalId: s.id, kind: 'approve', byUser: 100001, decidedAt, latencyMs: 1000 });
  await close();
}

describe('start-up resolution of approvals without a verdict', () => {
  it('adopts what the broker placed before the crash, re-drives a valid one, refuses an expired one; each once', async () => {
    const file = tempDbFile();
    h = await openHarness(file);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const placed = fullSignal(0, { id: 'placed' });
    const valid = fullSignal(0, { id: 'valid', stop: 97 });
    const expired = fullSignal(0, { id: 'expired', validUntil: T0 + HOUR / 2 });
    // Resolved in the order they were approved: 'valid' first (one position per market before the adopted one exists).
    await journalApproval(file, valid, T0 + HOUR - 2000);
    await journalApproval(file, placed, T0 + HOUR - 1000);
    await journalApproval(file, expired);
    // The crash: the broker placed 'placed' (entry filled, stop resting), the executor never wrote its verdict.
    await h.broker.placeEntry({ id: 'placed', symbol: 'BTC/USDT', side: 'long', type: 'market', amount: 20, stop: 98 });
    await h.close();

    h = await openHarness(file, { startAt: T0 + HOUR });
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const db = (await openDatabase(file)).db;
    expect(await pendingApprovals(db)).toEqual(['valid', 'placed', 'expired']);

    const resolved = await resolvePendingApprovals(db, h.executor);
    const by = Object.fromEntries(resolved.map((r) => [r.signalId, r]));
    expect(by.placed).toMatchObject({ status: 'accepted', outcome: expect.stringMatching(/^Placed before a restart and taken back under management: BTC\/USDT long 20 units, stop 98/) });
    // Re-driven through the governor, which now sees the adopted position on the same market.
    expect(by.valid).toMatchObject({ status: 'refused', outcome: expect.stringMatching(/^Not placed: BTC\/USDT long \(test_setup\) — pyramiding/) });
    expect(by.expired).toMatchObject({ status: 'refused', outcome: expect.stringMatching(/expired: the signal expired at/) });

    // Every broker position is known to the executor, none was placed twice, nothing is pending any more.
    const brokerOpen = await h.broker.positions({ status: ['open', 'pending'] });
    expect(brokerOpen.map((p) => p.id)).toEqual(['placed']);
    expect(await h.executor.positions()).toMatchObject([{ id: 'placed', remaining: 20, stop: 98 }]);
    expect((await h.executor.positions())[0].unmanaged).toBeUndefined();
    expect(await pendingApprovals(db)).toEqual([]);
    expect(await resolvePendingApprovals(db, h.executor)).toEqual([]);
    const entries = (await db.selectFrom('paper_orders' as never).select('client_order_id' as never).execute()) as { client_order_id: string }[];
    expect(entries.filter((o) => o.client_order_id.endsWith('-e'))).toHaveLength(1);

    const ru = resolvedApprovalsText(resolved, 'ru')!;
    expect(ru).toContain('После перезапуска');
    expect(ru).toContain('Выставлено до перезапуска и снова под управлением');
    expect(resolvedApprovalsText([], 'en')).toBeUndefined();
    await db.destroy();
  });
});

describe('start-up resolution: an approval that never reached the broker', () => {
  it('is re-driven through the governor and placed once', async () => {
    const file = tempDbFile();
    h = await openHarness(file);
    await warmUp(h);
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    await journalApproval(file, fullSignal(0, { id: 'valid' }));
    await h.close();
    h = await openHarness(file, { startAt: T0 + HOUR });
    await h.feed(candle(0, 100, 100.5, 99.5, 100));
    const db = (await openDatabase(file)).db;
    const [resolved] = await resolvePendingApprovals(db, h.executor);
    expect(resolved).toMatchObject({ signalId: 'valid', status: 'accepted', outcome: expect.stringMatching(/^Placed \(paper\): BTC\/USDT long 40 units/) });
    expect((await h.broker.positions({ status: ['open'] })).map((p) => p.id)).toEqual(['valid']);
    expect(await resolvePendingApprovals(db, h.executor)).toEqual([]);
    await db.destroy();
  });
});
