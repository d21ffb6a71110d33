/**
 * Token and cost accounting: one row per LLM call (successful or not) in SQLite, in the knowledge layer's own
 * migration set. Pass `{ extraMigrations: { llm_migration: llmMigrations } }` to openDatabase.
 * "Today" is the UTC calendar day, the same day boundary the daily budget uses.
 */
import { sql, type Generated, type Kysely, type Migration } from 'kysely';

export const llmMigrations: Record<string, Migration> = {
  '20261121_0001_llm_calls': {
    async up(db: Kysely<any>): Promise<void> {
      await sql`
        CREATE TABLE llm_calls (
          id            INTEGER PRIMARY KEY AUTOINCREMENT,
          ts            INTEGER NOT NULL,
          provider      TEXT    NOT NULL,
          model         TEXT    NOT NULL,
          purpose       TEXT    NOT NULL,
          input_tokens  INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cost_usd      REAL    NOT NULL,
          latency_ms    INTEGER NOT NULL,
          ok            INTEGER NOT NULL,
          error         TEXT
        )
      `.execute(db);
      await sql`CREATE INDEX llm_calls_ts ON llm_calls (ts)`.execute(db);
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('llm_calls').execute();
    },
  },
};

export interface LlmCallRow {
  ts: number;
  provider: string;
  model: string;
  purpose: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  ok: boolean;
  error?: string;
}

export interface UsageSummary {
  /** Start of the UTC day summarised, epoch ms. */
  dayStart: number;
  calls: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  byProvider: Array<{ provider: string; calls: number; costUsd: number }>;
}

/** Where the router writes its accounting; SQLite in production, an array in some unit tests. */
export interface UsageLedger {
  record(row: LlmCallRow): Promise<void>;
  usageToday(now?: number): Promise<UsageSummary>;
}

interface LlmCallsTable {
  /** Left to the database: an explicit NULL is SQLite's rowid alias but a NOT NULL violation on PostgreSQL's identity. */
  id: Generated<number>;
  ts: number;
  provider: string;
  model: string;
  purpose: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: number;
  ok: number;
  error: string | null;
}

/** Typed view of the LLM layer's table (the 20261121_0001 migration above). */
export interface LlmDatabase {
  llm_calls: LlmCallsTable;
}

const DAY_MS = 86_400_000;

export function utcDayStart(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS;
}

/** `database`: a store opened with llmMigrations (the engine's handle, whose own type does not list llm_calls). */
export function createSqliteUsageLedger(database: Kysely<any>): UsageLedger {
  const db = database as Kysely<LlmDatabase>;
  return {
    async record(row) {
      await db
        .insertInto('llm_calls')
        .values({
          ts: row.ts,
          provider: row.provider,
          model: row.model,
          purpose: row.purpose,
          input_tokens: row.inputTokens,
          output_tokens: row.outputTokens,
          cost_usd: row.costUsd,
          latency_ms: Math.round(row.latencyMs),
          ok: row.ok ? 1 : 0,
          error: row.error ?? null,
        })
        .execute();
    },
    async usageToday(now = Date.now()) {
      const dayStart = utcDayStart(now);
      const rows = await db
        .selectFrom('llm_calls')
        .select((eb) => [
          'provider',
          eb.fn.countAll<number>().as('calls'),
          eb.fn.sum<number>(sql<number>`1 - ok`).as('failures'),
          eb.fn.sum<number>('input_tokens').as('input_tokens'),
          eb.fn.sum<number>('output_tokens').as('output_tokens'),
          eb.fn.sum<number>('cost_usd').as('cost_usd'),
        ])
        .where('ts', '>=', dayStart)
        .where('ts', '<', dayStart + DAY_MS)
        .groupBy('provider')
        .execute();
      // Sorted here, not by ORDER BY: PostgreSQL would follow its collation (an ICU "en" one puts "local" before
      // "OpenAI"), SQLite and the memory ledger sort by code unit.
      rows.sort((x, y) => (x.provider < y.provider ? -1 : x.provider > y.provider ? 1 : 0));
      return summarise(
        dayStart,
        rows.map((r) => ({
          provider: r.provider,
          calls: Number(r.calls),
          failures: Number(r.failures ?? 0),
          inputTokens: Number(r.input_tokens ?? 0),
          outputTokens: Number(r.output_tokens ?? 0),
          costUsd: Number(r.cost_usd ?? 0),
        })),
      );
    },
  };
}

/** An in-memory ledger (no database): for the CLI without a data dir and for unit tests. */
export function createMemoryUsageLedger(): UsageLedger & { rows: LlmCallRow[] } {
  const rows: LlmCallRow[] = [];
  return {
    rows,
    async record(row) {
      rows.push(row);
    },
    async usageToday(now = Date.now()) {
      const dayStart = utcDayStart(now);
      const today = rows.filter((r) => r.ts >= dayStart && r.ts < dayStart + DAY_MS);
      const providers = [...new Set(today.map((r) => r.provider))].sort();
      return summarise(
        dayStart,
        providers.map((provider) => {
          const mine = today.filter((r) => r.provider === provider);
          return {
            provider,
            calls: mine.length,
            failures: mine.filter((r) => !r.ok).length,
            inputTokens: mine.reduce((s, r) => s + r.inputTokens, 0),
            outputTokens: mine.reduce((s, r) => s + r.outputTokens, 0),
            costUsd: mine.reduce((s, r) => s + r.costUsd, 0),
          };
        }),
      );
    },
  };
}

interface ProviderTotals {
  provider: string;
  calls: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

function summarise(dayStart: number, perProvider: ProviderTotals[]): UsageSummary {
  return {
    dayStart,
    calls: perProvider.reduce((s, p) => s + p.calls, 0),
    failures: perProvider.reduce((s, p) => s + p.failures, 0),
    inputTokens: perProvider.reduce((s, p) => s + p.inputTokens, 0),
    outputTokens: perProvider.reduce((s, p) => s + p.outputTokens, 0),
    costUsd: perProvider.reduce((s, p) => s + p.costUsd, 0),
    byProvider: perProvider.map((p) => ({ provider: p.provider, calls: p.calls, costUsd: p.costUsd })),
  };
}
