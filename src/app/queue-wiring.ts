/**
 * The job queue from the configuration: none without `queue.url` (and no postgres ITA_DATABASE_URL), and then every
 * backtest, optimizer evaluation and walk-forward window runs in this process, as before. pg-boss is imported only
 * when a queue is configured.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ItaMetrics } from '../ops/metrics.ts';
import type { JobQueue, QueueSettings } from '../engine/queue/job-queue.ts';

export function queueSettings(config: Config): QueueSettings | undefined {
  const q = config.queue;
  if (!q.url) return undefined;
  return { url: q.url, batchSize: q.batchSize, expireSeconds: q.expireSeconds, retryLimit: q.retryLimit, maintenanceSeconds: q.maintenanceSeconds, pollSeconds: q.pollSeconds, inputRetentionDays: q.inputRetentionDays };
}

export async function openQueueFromConfig(config: Config, logger: Logger): Promise<JobQueue | undefined> {
  const settings = queueSettings(config);
  if (!settings) return undefined;
  const { JobQueue, describeUrl } = await import('../engine/queue/job-queue.ts');
  const queue = await JobQueue.open(settings, (error) => logger.warn('job queue error', { error: error.message }));
  if (queue.prunedInputs > 0) logger.info('job queue: deleted candle inputs no run used recently', { inputs: queue.prunedInputs, retentionDays: settings.inputRetentionDays });
  logger.info('job queue ready: backtests, optimizer evaluations and walk-forward windows go to `ita worker` processes', { queue: describeUrl(settings.url) });
  return queue;
}

/** ita_queue_depth{queue="jobs_queued"|"jobs_active"} read when Prometheus scrapes. */
export function scrapeQueue(metrics: ItaMetrics, queue: Pick<JobQueue, 'depth'>): void {
  metrics.onScrape(async () => {
    const depth = await queue.depth().catch(() => undefined);
    if (!depth) return;
    metrics.queue('jobs_queued', depth.queued);
    metrics.queue('jobs_active', depth.active);
  });
}
