/**
 * Paper execution (the default mode): the shared broker logic over the SQLite exchange simulator, spot
 * (createPaperBroker, long only) or USDT-M perpetual futures (createPerpPaperBroker, long and short). Positions,
 * orders, fills and balances survive restarts: a new broker on the same database and account sees everything.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../../../logger.ts';
import type { CostModel } from '../sim/fill-model.ts';
import { openBooks } from '../store/books.ts';
import { migrateExecStore } from '../store/migrations.ts';
import type { ExecDatabase } from '../store/schema.ts';
import { clampLeverage, type MarketRules } from '../core/venue.ts';
import { VenueBroker } from '../core/venue-broker.ts';
import { createPaperVenue, type PaperVenue } from './paper-venue.ts';

import { createPerpPaperVenue, type PerpPaperVenue } from './perp-venue.ts';

export { createPaperVenue, type PaperVenue } from './paper-venue.ts';
export { createPerpPaperVenue, type PerpPaperVenue } from './perp-venue.ts';

export interface PaperBrokerOptions {
  db: Kysely<any>;
  /** Books key; default "paper". */
  account?: string;
  costs: CostModel;
  /** Starting balances, credited only when the account has none yet (a restart never re-credits). */
  initialBalances?: Record<string, number>;
  markets?: Record<string, MarketRules>;
  maxVolumeShare?: number;
  now?: () => number;
  logger?: Logger;
}

export interface PaperBroker extends VenueBroker {
  readonly venue: PaperVenue;
}

export async function createPaperBroker(options: PaperBrokerOptions): Promise<PaperBroker> {
  await migrateExecStore(options.db);
  const account = options.account ?? 'paper';
  const venue = createPaperVenue({ ...options, account });
  const db = options.db as Kysely<ExecDatabase>;
  const funded = await db.selectFrom('paper_balances').select('asset').where('account', '=', account).executeTakeFirst();
  if (!funded) for (const [asset, amount] of Object.entries(options.initialBalances ?? {})) await venue.deposit(asset, amount);
  return new VenueBroker(venue, openBooks(options.db, account), options) as PaperBroker;
}

export interface PerpPaperBrokerOptions extends PaperBrokerOptions {
  /** Exchange leverage set on each symbol before its first entry (config exchange.leverage). */
  leverage?: number;
  /** The governance leverage cap: the leverage actually set never exceeds it. */
  leverageCap?: number;
}

export interface PerpPaperBroker extends VenueBroker {
  readonly venue: PerpPaperVenue;
}


/** The USDT-M perpetual paper account (books key "paper-perp" unless `account` says otherwise). */
export async function createPerpPaperBroker(options: PerpPaperBrokerOptions): Promise<PerpPaperBroker> {
  await migrateExecStore(options.db);
  const account = options.account ?? 'paper-perp';
  const venue = createPerpPaperVenue({ ...options, account });
  const db = options.db as Kysely<ExecDatabase>;
  const funded = await db.selectFrom('paper_balances').select('asset').where('account', '=', account).executeTakeFirst();
  if (!funded) for (const [asset, amount] of Object.entries(options.initialBalances ?? {})) await venue.deposit(asset, amount);
  const leverage = clampLeverage(options.leverage, options.leverageCap);
  return new VenueBroker(venue, openBooks(options.db, account), { ...options, leverage }) as PerpPaperBroker;
}
