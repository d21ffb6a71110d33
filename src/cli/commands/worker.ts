/**
 * `ita worker`: runs backtest, optimizer and walk-forward jobs from the queue (ITA_QUEUE_URL) until Ctrl-C or
 * SIGTERM; then it finishes the job in hand (a job it cannot finish in time is retried by another worker).
 */
import type { Command } from 'commander';
import { ConfigError } from '../../engine/errors.ts';

export function register(program: Command): void {
  program
    .command('worker')
    .description('take backtest, optimizer and walk-forward jobs from the job queue (ITA_QUEUE_URL) and run them')
    .addHelpText('after', [
      '',
      'Start one per core you want to give, on any machine that reaches the queue\'s PostgreSQL:',
      '  ITA_QUEUE_URL=postgres://user:password@host:5432/ita ita worker',
      'A killed worker\'s job is retried by another one after ITA_QUEUE_EXPIRE_SECONDS (default 900).',
    ].join('\n'))
    .action(async () => {
      const { loadConfig, secretsOf } = await import('../../config.ts');
      const { createLogger } = await import('../../logger.ts');
      const { openQueueFromConfig } = await import('../../app/queue-wiring.ts');
      const { startWorker } = await import('../../engine/queue/worker.ts');
      const config = loadConfig();
      const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
      const queue = await openQueueFromConfig(config, logger);
      if (!queue) throw new ConfigError('ita worker needs a job queue: set ITA_QUEUE_URL (or a postgres:// ITA_DATABASE_URL)', { field: 'queue.url' });
      await startWorker(queue, (line) => logger.info(line));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      logger.info('worker stopping: finishing the job in hand');
      await queue.close({ graceful: true, timeoutMs: config.queue.expireSeconds * 1000 });
    });
}
