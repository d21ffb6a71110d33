/**
 * Live execution over ccxt: `createLiveBroker` wires the gateway venue, the SQLite books and the shared broker
 * logic, then reconciles with the exchange before anything else happens. For the exchange's testnet, create the
 * gateway with `sandbox: true`; orders there are real testnet orders (ccxt has no paper trading; ITA's paper
 * broker is ../paper).
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../../../logger.ts';
import type { ExchangeGateway } from '../../market/gateway.ts';
import { TemporaryError } from '../../errors.ts';
import type { Difference } from '../broker.ts';
import { openBooks } from '../store/books.ts';
import { migrateExecStore } from '../store/migrations.ts';
import { createLiveVenue } from './live-venue.ts';
import { VenueBroker } from '../core/venue-broker.ts';
import { clampLeverage } from '../core/venue.ts';

export { VenueBroker } from '../core/venue-broker.ts';

export interface LiveBrokerOptions {
  gateway: ExchangeGateway;
  db: Kysely<any>;
  /** Books key; default "live:<exchange id>". */
  account?: string;
  /** Limit of the exchange stop-limit below its trigger, as a fraction (default 0.005). */
  stopLimitBuffer?: number;
  /** Perp gateways: leverage set on a symbol before its first entry (config exchange.leverage)... */
  leverage?: number;
  /** ... never above the governance leverage cap. */
  leverageCap?: number;
  now?: () => number;
  logger?: Logger;
}

export interface LiveBroker extends VenueBroker {
  /** What reconciliation found at start-up (also logged); empty when books and exchange agree (or it could not run). */
  readonly startupDifferences: Difference[];
  /**
   * Set when the exchange could not be reached at start-up (why, in words): the books are NOT compared yet. The
   * broker compares first on its next call that reaches the venue (sync, onCandle); until then the executor must
   * take no new entries (Executor.startupOutage).
   */
  readonly startupUnreachable?: string;
}

export async function createLiveBroker(options: LiveBrokerOptions): Promise<LiveBroker> {
  await migrateExecStore(options.db);
  const books = openBooks(options.db, options.account ?? `live:${options.gateway.exchangeId}`);
  const leverage = clampLeverage(options.leverage, options.leverageCap);
  const broker = new VenueBroker(createLiveVenue(options.gateway), books, { ...options, leverage }) as VenueBroker & {
    startupDifferences: Difference[]; startupUnreachable?: string;
  };
  // An unreachable exchange does not keep the bot from starting: the broker is returned unreconciled (a failed venue
  // call marks it so that its next call that reaches the venue compares before it applies anything).
  const unreachable = (error: unknown) => {
    if (!(error instanceof TemporaryError)) throw error;
    broker.startupDifferences = [];
    broker.startupUnreachable = error.message;
    broker.logger.warn('reconcile: the exchange is unreachable at start-up; books not compared yet', { error: error.message });
    return broker;
  };
  // Report first (what changed while ITA was down: a stop that filled, an order placed by hand), then apply the
  // venue's progress on ITA's OWN orders, found by clientOrderId. Anything else stays as reported.
  try {
    broker.startupDifferences = await broker.reconcile();
  } catch (error) {
    return unreachable(error);
  }
  for (const difference of broker.startupDifferences) broker.logger.warn('reconcile: ' + difference.message, { kind: difference.kind });
  try {
    await broker.sync();
  } catch (error) {
    // A venue outage while orders are brought up to date: compared again (and reported) once the venue answers. A
    // refusal (e.g. a stop that cannot be re-placed because the coins are gone) needs the human, so it joins the
    // report instead of preventing the start.
    if (error instanceof TemporaryError) return unreachable(error);
    const message = `bringing orders up to date failed: ${error instanceof Error ? error.message : String(error)}`;
    broker.startupDifferences.push({ kind: 'sync-failed', subject: 'sync', message });
    broker.logger.error('reconcile: ' + message);
  }
  return broker;
}
