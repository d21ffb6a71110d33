/**
 * Reconciliation of the live books with the exchange, reported to the trader: once at start-up (what changed while
 * ITA was down; the live broker already compared before anything else ran) and again after every reconnect (the
 * executor's 'exchange-recovered'). Differences are logged and reported, never resolved by overwriting either side.
 *
 * An exchange that does not answer at start-up does not keep ITA from starting: the executor takes no new entries
 * (its outage, said once), the live broker is tried again with backoff (and by every candle), and the first round
 * that reaches the exchange compares the books before it applies anything; its report is the start-up report, and
 * it says that entries resume.
 */
import { describeError } from '../engine/errors.ts';
import type { Executor } from '../engine/exec/executor/index.ts';
import type { LiveBroker } from '../engine/exec/live/index.ts';
import { reconciliationReport, type ReconciliationReport } from '../engine/exec/live/report.ts';
import type { Logger } from '../logger.ts';

export interface ReconciliationWatch {
  /** Resolves when the last report triggered so far has been handed to `report`. */
  idle(): Promise<void>;
  stop(): void;
}

/** Waits between start-up reconnection attempts: doubling from `firstMs` up to `maxMs`. */
export interface ReconnectBackoff {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { firstMs: 5_000, maxMs: 5 * 60_000 };

export function watchReconciliation(options: {
  broker: LiveBroker;
  executor: Executor;
  report: (report: ReconciliationReport) => Promise<void>;
  logger: Logger;
  backoff?: ReconnectBackoff;
}): ReconciliationWatch {
  const { broker, executor, logger } = options;
  const backoff = options.backoff ?? DEFAULT_RECONNECT_BACKOFF;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = (trigger: ReconciliationReport['trigger'], differences: () => Promise<ReconciliationReport['differences']>, resumedAfter?: number) => {
    chain = chain.then(async () => {
      try {
        const found = await differences();
        for (const difference of found) logger.warn(`reconcile (${trigger}): ${difference.message}`, { kind: difference.kind, subject: difference.subject });
        if (found.length === 0) logger.info(`reconcile (${trigger}): books match the exchange`);
        // After a reconnect a clean result is only logged; the "exchange reachable again" notice already went out.
        if (found.length === 0 && trigger === 'reconnect') return;
        await options.report(await reconciliationReport(broker, trigger, found, resumedAfter));
      } catch (error) {
        logger.error(`reconcile (${trigger}) failed`, { error: describeError(error) });
      }
    });
  };

  const retry = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      executor.reconnect().then((ok) => {
        if (!ok) retry(Math.min(delayMs * 2, backoff.maxMs));
      }, (error: unknown) => {
        logger.error('reconnecting to the exchange failed; trying again', { error: describeError(error) });
        retry(Math.min(delayMs * 2, backoff.maxMs));
      });
    }, delayMs);
    timer.unref?.();
  };

  const unreachable = broker.startupUnreachable;
  if (unreachable === undefined) {
    // Start-up: the broker reconciled (and brought its own orders up to date) when it was created.
    run('start-up', async () => broker.startupDifferences);
  } else {
    chain = executor.startupOutage(`the start-up reconciliation could not reach the exchange: ${unreachable}`)
      .catch((error) => logger.error('start-up outage not recorded', { error: describeError(error) }));
    retry(backoff.firstMs);
  }
  const unsubscribe = executor.on((event) => {
    if (event.type !== 'exchange-recovered') return;
    // The broker compared before it brought anything up to date; without an outage of its own, compare now.
    const differences = async () => broker.takeRecoveryDifferences() ?? broker.reconcile();
    if (event.startup) {
      clearTimeout(timer);
      run('start-up', differences, event.downSince);
    } else run('reconnect', differences);
  });
  return {
    idle: () => chain,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}
