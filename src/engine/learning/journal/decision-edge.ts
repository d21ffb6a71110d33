/**
 * Do the trader's own decisions add edge? Per setup version, the outcomes of its signals (./outcome-tracker.ts)
 * grouped by what happened to them: approved (the executor's real trades, or counterfactual when the governor
 * refused), rejected, unanswered (pushed, no decision), not pushed (filtered or held). Expectancy is net R per signal,
 * net of fees and slippage; a signal whose entry was never filled earned 0 R. Recommendations are made only on at
 * least `minSample` decided signals of the group they talk about (a handful of signals is noise).
 */
import { sql, type Kysely } from 'kysely';
import type { LearningJournalDatabase } from '../store/schema.ts';

export const MIN_EDGE_SAMPLE = 30;

export type EdgeGroupName = 'all' | 'approved' | 'rejected' | 'unanswered' | 'notPushed';

export interface EdgeGroup {
  /** Signals with a final outcome (closed or never filled). */
  n: number;
  /** Of those, trades that were entered and closed. */
  trades: number;
  /** Net R per signal (not-filled = 0); NaN when n = 0. */
  expectancyR: number;
  /** Share of closed trades with net R > 0. */
  winRate: number;
  /** Outcomes still open (the candles so far do not decide them). */
  open: number;
}

export type EdgeRecommendation =
  | { kind: 'disable'; expectancyR: number; n: number }
  | { kind: 'rejections-saved'; savedR: number; n: number }
  | { kind: 'rejections-cost'; costR: number; n: number }
  | { kind: 'unseen-positive'; expectancyR: number; n: number };

export interface DecisionEdge {
  setupId: string;
  setupVersion: string;
  groups: Record<EdgeGroupName, EdgeGroup>;
  recommendations: EdgeRecommendation[];
  minSample: number;
}

interface Row {
  decision: string | null;
  pushed: number;
  status: string;
  net_r: number | null;
}

export async function decisionEdge(db: Kysely<LearningJournalDatabase>, setupId: string, setupVersion: string, options: { minSample?: number; since?: number } = {}): Promise<DecisionEdge> {
  const minSample = options.minSample ?? MIN_EDGE_SAMPLE;
  const since = options.since ?? -Infinity;
  const rows = (await sql<Row>`
    SELECT d.kind AS decision, s.pushed AS pushed, o.status AS status, o.net_r AS net_r
    FROM learning_outcomes o
    JOIN signals s ON s.id = o.signal_id
    LEFT JOIN decisions d ON d.signal_id = o.signal_id
    WHERE o.setup_id = ${setupId} AND o.setup_version = ${setupVersion} AND o.signal_ts >= ${Number.isFinite(since) ? since : -8.64e15}`.execute(db)).rows;
  const buckets: Record<EdgeGroupName, Row[]> = { all: rows, approved: [], rejected: [], unanswered: [], notPushed: [] };
  for (const row of rows) buckets[groupOf(row)].push(row);
  const groups = Object.fromEntries(Object.entries(buckets).map(([name, list]) => [name, summarize(list)])) as Record<EdgeGroupName, EdgeGroup>;
  return { setupId, setupVersion, groups, recommendations: recommend(groups, minSample), minSample };
}

export function groupOf(row: { decision: string | null; pushed: number }): Exclude<EdgeGroupName, 'all'> {
  if (row.decision === 'approve') return 'approved';
  if (row.decision === 'reject') return 'rejected';
  return row.pushed === 1 ? 'unanswered' : 'notPushed';
}

function summarize(rows: readonly Row[]): EdgeGroup {
  let n = 0;
  let trades = 0;
  let wins = 0;
  let sum = 0;
  let open = 0;
  for (const row of rows) {
    if (row.status === 'open') {
      open++;
      continue;
    }
    n++;
    if (row.status === 'closed' && row.net_r !== null) {
      trades++;
      sum += row.net_r;
      if (row.net_r > 0) wins++;
    }
  }
  return { n, trades, expectancyR: n > 0 ? sum / n : NaN, winRate: trades > 0 ? wins / trades : NaN, open };
}

function recommend(g: Record<EdgeGroupName, EdgeGroup>, min: number): EdgeRecommendation[] {
  const out: EdgeRecommendation[] = [];
  if (g.all.n >= min && g.all.expectancyR < 0) out.push({ kind: 'disable', expectancyR: g.all.expectancyR, n: g.all.n });
  if (g.rejected.n >= min && g.rejected.expectancyR < 0) out.push({ kind: 'rejections-saved', savedR: -g.rejected.expectancyR, n: g.rejected.n });
  if (g.rejected.n >= min && g.rejected.expectancyR > 0) out.push({ kind: 'rejections-cost', costR: g.rejected.expectancyR, n: g.rejected.n });
  if (g.notPushed.n >= min && g.notPushed.expectancyR > 0) out.push({ kind: 'unseen-positive', expectancyR: g.notPushed.expectancyR, n: g.notPushed.n });
  return out;
}
