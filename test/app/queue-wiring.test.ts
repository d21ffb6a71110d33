/**
 * Without a queue URL there is no queue: main passes `queue: undefined` and every backtest, optimizer evaluation
 * and walk-forward window runs in-process as before (pg-boss is not even loaded).
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { openQueueFromConfig, queueSettings } from '../../src/app/queue-wiring.ts';

describe('queue wiring', () => {
  it('opens no queue with the default (SQLite) configuration', async () => {
    const config = loadConfig({ env: {}, cwd: os.tmpdir() });
    const lines: string[] = [];
    expect(queueSettings(config)).toBeUndefined();
    expect(await openQueueFromConfig(config, createLogger({ write: (l) => lines.push(l) }))).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('passes the configured limits to the queue', () => {
    const config = loadConfig({ env: { ITA_QUEUE_URL: 'postgres://u:p@h/db', ITA_QUEUE_BATCH_SIZE: '7', ITA_QUEUE_RETRY_LIMIT: '0' }, cwd: os.tmpdir() });
    expect(queueSettings(config)).toEqual({ url: 'postgres://u:p@h/db', batchSize: 7, expireSeconds: 900, retryLimit: 0, maintenanceSeconds: 30, pollSeconds: 1, inputRetentionDays: 7 });
  });
});
