/**
 * Reconciliation of the live books with the exchange, reported to the trader: once at start-up (what changed while
 * ITA was down; the live broker already compared before anything else ran) and again after every reconnect (the
 * executor's 'exchange-recovered'). Differences are logged and reported, never resolved by overwriting either side.
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

export function watchReconciliation(options: {
  broker: LiveBroker;
  executor: Executor;
  report: (report: ReconciliationReport) => Promise<void>;
  logger: Logger;
}): ReconciliationWatch {
  const { broker, logger } = options;
  let chain: Promise<void> = Promise.resolve();
  const run = (trigger: ReconciliationReport['trigger'], differences: () => Promise<ReconciliationReport['differences']>) => {
    chain = chain.then(async () => {
      try {
        const found = await differences();
        for (const difference of found) logger.warn(`reconcile (${trigger}): ${difference.message}`, { kind: difference.kind, subject: difference.subject });
        if (found.length === 0) logger.info(`reconcile (${trigger}): books match the exchange`);
        // After a reconnect a clean result is only logged; the "exchange reachable again" notice already went out.
        if (found.length === 0 && trigger === 'reconnect') return;
        await options.report(await reconciliationReport(broker, trigger, found));
      } catch (error) {
        logger.error(`reconcile (${trigger}) failed`, { error: describeError(error) });
      }
    });
  };
  // Start-up: the broker reconciled (and brought its own orders up to date) when it was created.
  run('start-up', async () => broker.startupDifferences);
  const unsubscribe = options.executor.on((event) => {
    // The broker compared before it brought anything up to date; without an outage of its own, compare now.
    if (event.type === 'exchange-recovered') run('reconnect', async () => broker.takeRecoveryDifferences() ?? broker.reconcile());
  });
  return { idle: () => chain, stop: unsubscribe };
}
