/**
 * Issue 13: "every journaled signal — pushed, filtered, … — gets the outcome". A signal the setup's regime enable map
 * refuses is journaled as filtered (rule `regime`, the reason naming the regime and the map), gets the same
 * counterfactual outcome it would have had without the map, and counts in the not-pushed group of the decision edge.
 * Before, the pipeline dropped such signals without a trace (no row, no outcome).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../../../src/engine/store/database.ts';
import { learningMigrations, LEARNING_MIGRATION_TABLE } from '../../../../src/engine/learning/store/migrations.ts';
import { OutcomeTracker } from '../../../../src/engine/learning/journal/outcome-tracker.ts';
import { decisionEdge } from '../../../../src/engine/learning/journal/decision-edge.ts';
import type { Setup } from '../../../../src/engine/setups/index.ts';
import { loadSampleCandles } from '../../../helpers/candles.ts';
import { newPipeline, shippedSetups } from '../../live/rig.ts';
import { FEES, MARKET } from './replay-rig.ts';
import { storeArea } from '../../../helpers/store-area.ts';

const HOUR = 3_600_000;
const candles = loadSampleCandles('binance_BTCUSDT_1h_2024-07').slice(0, 1500);
const plain = shippedSetups().find((s) => s.id === 'ema_cross')!;
const gated: Setup = { ...plain, regimes: ['trend_up'] };

interface Row {
  id: string;
  policy_rule: string | null;
  policy_reason: string | null;
  context: string;
  pushed: number;
}
interface OutcomeRow {
  signal_id: string;
  status: string;
  taken: number;
  net_r: number | null;
  exit_ts: number | null;
}

interface Run {
  store: OpenedDatabase;
  signals: Row[];
  outcomes: Map<string, OutcomeRow>;
}

const dirs: string[] = [];
const stores: OpenedDatabase[] = [];

/** The offline replay's path: candles through the live pipeline, the outcome tracker as they close. */
async function replay(setup: Setup): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-regime-filtered-'));
  dirs.push(dir);
  const store = await openDatabase(path.join(dir, 'ita.sqlite'), { extraMigrations: { [LEARNING_MIGRATION_TABLE]: learningMigrations } });
  stores.push(store);
  const pipeline = newPipeline(store, { setups: () => [setup] });
  let now = 0;
  const tracker = new OutcomeTracker({ db: storeArea(store.db), settings: { fees: FEES }, setupFor: () => setup, now: () => now });
  for (let i = 0; i < candles.length; i++) {
    now = candles[i].ts + HOUR;
    await pipeline.processCloses([{ market: MARKET, candle: candles[i] }], { now });
    if (i % 25 === 0) await tracker.update(MARKET);
  }
  await tracker.update(MARKET);
  const signals = (await store.db.selectFrom('signals').select(['id', 'policy_rule', 'policy_reason', 'context', 'pushed']).execute()) as Row[];
  const outcomes = (await store.db.selectFrom('learning_outcomes' as never).selectAll().execute()) as unknown as OutcomeRow[];
  return { store, signals, outcomes: new Map(outcomes.map((o) => [o.signal_id, o])) };
}

describe('signals the regime enable map refuses are journaled and get an outcome', () => {
  let open: Run;
  let restricted: Run;

  beforeAll(async () => {
    open = await replay(plain);
    restricted = await replay(gated);
  }, 240_000);

  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('journals every signal the map refused as filtered by `regime`, naming the regime and the map', () => {
    const regimeOf = (r: Row) => JSON.parse(r.context).regime as string;
    const outside = open.signals.filter((r) => regimeOf(r) !== 'trend_up');
    expect(outside.length).toBeGreaterThan(5);
    expect(open.signals.length - outside.length).toBeGreaterThan(0);
    // The same signals are journaled with or without the map; the map only marks those outside trend_up.
    expect(restricted.signals.map((r) => r.id).sort()).toEqual(open.signals.map((r) => r.id).sort());
    const byId = new Map(restricted.signals.map((r) => [r.id, r]));
    for (const r of outside) {
      const row = byId.get(r.id)!;
      expect(row.policy_rule).toBe('regime');
      expect(row.policy_reason).toContain('trades only in trend_up');
      expect(row.policy_reason).toContain(regimeOf(r) === 'unknown' ? 'not known yet' : `the market is in ${regimeOf(r)}`);
      expect(row.pushed).toBe(0);
    }
    for (const r of open.signals.filter((x) => regimeOf(x) === 'trend_up')) expect(byId.get(r.id)!.policy_rule).not.toBe('regime');
  });

  it('gives each refused signal the counterfactual outcome it has without the map, and counts it as not pushed', async () => {
    const refused = restricted.signals.filter((r) => r.policy_rule === 'regime');
    let closed = 0;
    for (const r of refused) {
      const got = restricted.outcomes.get(r.id);
      const reference = open.outcomes.get(r.id)!;
      expect(got, r.id).toBeDefined();
      expect(got!.taken).toBe(0);
      expect(got!.status).toBe(reference.status);
      expect(got!.exit_ts).toBe(reference.exit_ts);
      if (reference.net_r !== null) expect(got!.net_r!).toBeCloseTo(reference.net_r, 12);
      if (reference.status === 'closed') closed++;
    }
    expect(closed).toBeGreaterThan(3);

    const edge = await decisionEdge(storeArea(restricted.store.db), gated.id, gated.version, { minSample: 1 });
    // Nothing was pushed in this replay (no delivery worker), so every signal, refused or not, is in the not-pushed group.
    expect(edge.groups.notPushed.n + edge.groups.notPushed.open).toBe(restricted.signals.length);
    const decided = refused.map((r) => restricted.outcomes.get(r.id)!).filter((o) => o.status !== 'open');
    expect(edge.groups.notPushed.n).toBeGreaterThanOrEqual(decided.length);
  });
});
