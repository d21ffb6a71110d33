/** Signals for the bot: recent, one, decide (exactly once), similar. */
import type { Signal } from '../types.ts';
import { decisionsFor, getDecision, recordDecision } from '../journal/decisions.ts';
import { getSignalRecord, recentSignals, signalsOfSetup, signalsPage, type JournalDb } from '../journal/signals.ts';
import { historyItem } from './signal-history.ts';
import { nearestSignals } from './similar.ts';
import { backtestOccurrences } from './similar-occurrences.ts';
import type { SetupRegistry } from '../journal/setup-registry.ts';
import { formatSignedR } from './format.ts';
import type { DecisionResult, EngineServices } from './types.ts';

export interface SignalsServiceOptions {
  db: JournalDb;
  now: () => number;
  /**
   * The executor hook: runs after an approval is recorded and says what happened next ("paper order placed").
   * Without an executor the outcome is "recorded".
   */
  onApprove?: (signal: Signal, by: number) => Promise<string>;
  /** Outcome of a decided signal in words (R multiple when the executor knows it). */
  outcomeOf?: (signalId: string) => Promise<string | undefined>;
  /** For Similar: the setup replayed by the backtester over the history before a signal. */
  registry?: SetupRegistry;
}

export function createSignalsService(options: SignalsServiceOptions): EngineServices['signals'] {
  const { db, now } = options;
  return {
    recent: (limit) => recentSignals(db, Math.max(0, Math.floor(limit))),
    get: async (id) => (await getSignalRecord(db, id))?.signal,
    async history(offset, limit) {
      const page = await signalsPage(db, Math.max(0, Math.floor(offset)), Math.max(0, Math.floor(limit)));
      const at = now();
      return { items: await Promise.all(page.signals.map((signal) => historyItem(db, signal, at))), total: page.total };
    },

    async decide(id, decision, by, reason): Promise<DecisionResult> {
      const record = await getSignalRecord(db, id);
      if (!record) return { ok: false, reason: 'unknown', message: `no signal with id ${id}` };
      const existing = await getDecision(db, id);
      if (existing) return alreadyDecided(existing.kind);
      const at = now();
      if (at > record.signal.validUntil) {
        return { ok: false, reason: 'expired', message: `the signal expired at ${new Date(record.signal.validUntil).toISOString()}` };
      }
      const latencyMs = Math.max(0, at - (record.pushedAt ?? record.createdAt));
      // Two taps racing past the read above still make one row: the UNIQUE constraint decides who won.
      const recorded = await recordDecision(db, { signalId: id, kind: decision, byUser: by, reason, decidedAt: at, latencyMs });
      if (!recorded) return alreadyDecided((await getDecision(db, id))?.kind ?? decision);
      let outcome = 'recorded';
      if (decision === 'approve' && options.onApprove) {
        try {
          outcome = await options.onApprove(record.signal, by);
        } catch (error) {
          outcome = `approval recorded, but the executor failed: ${(error as Error).message}`;
        }
      }
      return { ok: true, decision, latencyMs, outcome };
    },

    async similar(id, limit) {
      const record = await getSignalRecord(db, id);
      if (!record) return [];
      const target = record.signal;
      // Past occurrences only: the journal's earlier signals and the backtester's replay of the history before it.
      const journal = (await signalsOfSetup(db, target.setupId)).filter((s) => s.ts < target.ts);
      const replayed = await backtestOccurrences(db, options.registry, target).catch(() => []);
      const journalIds = new Set(journal.map((s) => s.id));
      const fromBacktest = new Map(replayed.filter((o) => !journalIds.has(o.signal.id)).map((o) => [o.signal.id, o]));
      const nearest = nearestSignals(target, [...journal, ...[...fromBacktest.values()].map((o) => o.signal)], limit);
      const decisions = await decisionsFor(db, nearest.map((n) => n.signal.id));
      const at = now();
      return Promise.all(
        nearest.map(async ({ signal, similarity }) => {
          const simulated = fromBacktest.get(signal.id);
          if (simulated) return { signal, similarity, outcome: formatSignedR(simulated.r), r: simulated.r, source: 'backtest' as const };
          const item = await historyItem(db, signal, at);
          const known = await options.outcomeOf?.(signal.id);
          const outcome = known ?? (item.r !== undefined ? formatSignedR(item.r) : decisions.get(signal.id) === 'approve' ? 'open' : 'no trade');
          return { signal, similarity, outcome, r: item.r, source: 'journal' as const };
        }),
      );
    },
  };
}

function alreadyDecided(kind: string): DecisionResult {
  return { ok: false, reason: 'already-decided', message: `already ${kind === 'approve' ? 'approved' : 'rejected'}` };
}
