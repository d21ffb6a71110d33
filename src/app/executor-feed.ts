/**
 * The market's events into the executor: every closed candle (fills, stops, trailing) and every signal (an opposite
 * signal exits the position it contradicts, by the session's rule) on ONE queue, so the executor sees them in the order they happened,
 * one at a time. A failure is logged and the queue goes on: the next candle must still run the risk checks.
 */
import { describeError } from '../engine/errors.ts';
import type { LiveEvent } from '../engine/live/index.ts';
import type { Executor } from '../engine/exec/executor/index.ts';
import type { Candle, MarketKey } from '../engine/types.ts';
import type { Logger } from '../logger.ts';

export interface ExecutorFeed {
  /** Subscribe to the feed's events. */
  onEvent(event: LiveEvent): void;
  /** Restart warm-up: market statistics only (no fills, no management). */
  warm(market: MarketKey, candles: readonly Candle[]): void;
  /** Resolves when everything queued so far has been handled. */
  idle(): Promise<void>;
}

export function feedExecutor(executor: Executor, logger: Logger): ExecutorFeed {
  let executorQueue: Promise<void> = Promise.resolve();
  return {
    onEvent(event) {
      if (event.type === 'candle') {
        executorQueue = executorQueue
          .then(() => executor.onCandle(event.market, event.candle))
          .catch((error) => logger.error('executor failed on a candle', { error: describeError(error) }));
      } else if (event.type === 'signal') {
        // The session's opposite-signal exit, by the executor's one decision module (trading/decision.ts).
        executorQueue = executorQueue
          .then(async () => void (await executor.onSignal(event.signal)))
          .catch((error) => logger.error('opposite-signal exit failed', { error: describeError(error) }));
      }
    },
    warm(market, candles) {
      for (const candle of candles) executor.observe(market, candle);
    },
    idle: () => executorQueue,
  };
}
