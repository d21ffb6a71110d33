/**
 * Each area of the store (engine journal, broker books, executor, learning, lab, backtests, bot, knowledge) has its
 * own typed `Database` interface, and its repositories take `Kysely<ThatArea>`. The application holds one Kysely over
 * all of them (src/app/database.ts: ItaDatabase). Kysely<DB> is invariant in DB (a transaction callback receives a
 * Transaction<DB>), so Kysely<ItaDatabase> is not assignable to Kysely<LearningDatabase> although it has every
 * learning table. Generic repositories (`<DB extends Area>`) do not help: Kysely's builders cannot resolve a table's
 * columns on an unresolved DB. So the holder of a wider database hands it to an area through `asArea`, which infers
 * the area from where the value goes and compiles only when the wider database has every table of the area with the
 * same row types: a narrowing, never a view of tables that do not exist.
 */
import type { Kysely } from 'kysely';

export function asArea<DB extends Area, Area>(db: Kysely<DB>): Kysely<Area> {
  return db as unknown as Kysely<Area>;
}
