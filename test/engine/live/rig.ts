/** Pipeline wiring for the live tests: a temp SQLite file, the shipped setups, a recording `deliver`. */
import path from 'node:path';
import { loadSetupsDir } from '../../../src/engine/setups/index.ts';
import type { Setup } from '../../../src/engine/setups/index.ts';
import { LivePipeline, type PipelineOptions } from '../../../src/engine/live/pipeline.ts';
import { DeliveryWorker, type Deliver } from '../../../src/engine/live/delivery.ts';
import type { OpenedDatabase } from '../../../src/engine/store/database.ts';
import type { Signal } from '../../../src/engine/types.ts';
import { ROOT } from '../../helpers/candles.ts';

export const OWNER = 100001;

export function shippedSetups(): Setup[] {
  return loadSetupsDir(path.join(ROOT, 'setups')).setups;
}

export function newPipeline(store: OpenedDatabase, options: Partial<PipelineOptions> = {}): LivePipeline {
  return new LivePipeline({
    db: store.db,
    sqlite: store.sqlite,
    setups: () => shippedSetups(),
    recipients: [{ userId: OWNER, chatId: OWNER }],
    settings: { minScore: 0, timezone: 'UTC' },
    warmupCandles: 0,
    ...options,
  });
}

/** A fake clock whose sleeps advance it: delivery backoffs and quiet hours pass instantly. */
export function fakeClock(start: number) {
  const clock = {
    now: start,
    sleeps: [] as number[],
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
  };
  return clock;
}

export interface Delivered {
  signalId: string;
  chatId: number;
  messageId: number;
}

/** Records deliveries; `failures` calls fail before success (an Error, or a Telegram-like 429 with retry_after). */
export function recordingDeliver(failures: unknown[] = []): { deliver: Deliver; delivered: Delivered[]; calls: string[] } {
  const delivered: Delivered[] = [];
  const calls: string[] = [];
  let nextMessageId = 1;
  const deliver: Deliver = async (signal: Signal, chatId: number) => {
    calls.push(signal.id);
    const failure = failures.shift();
    if (failure) throw failure;
    const messageId = nextMessageId++;
    delivered.push({ signalId: signal.id, chatId, messageId });
    return { messageId };
  };
  return { deliver, delivered, calls };
}

export function newWorker(store: OpenedDatabase, deliver: Deliver, clock: ReturnType<typeof fakeClock>): DeliveryWorker {
  return new DeliveryWorker({ db: store.db, deliver, now: () => clock.now, sleep: (ms) => clock.sleep(ms), backoff: { baseMs: 1_000, maxMs: 60_000 } });
}
