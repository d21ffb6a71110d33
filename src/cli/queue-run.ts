/**
 * A CLI run on the job queue the configuration names (queue.url / ITA_QUEUE_URL, or a postgres ITA_DATABASE_URL),
 * opened by the same wiring as the bot's (app/queue-wiring.ts). Without one the run gets no queue and stays in this
 * process. With one: Ctrl-C cancels the run's jobs before the process ends (a second Ctrl-C quits at once), and a
 * run whose jobs no worker takes says so on stderr instead of waiting in silence.
 */
import type { Config } from '../config.ts';
import type { JobQueue } from '../engine/queue/job-queue.ts';
import { InterruptedError } from '../engine/errors.ts';

export interface CliQueue {
  /** Unset: no queue is configured; everything runs in this process. */
  queue?: JobQueue;
  /** Aborted by Ctrl-C (only with a queue: in-process runs end with the process as before). */
  signal?: AbortSignal;
}

export async function withConfiguredQueue<T>(config: Config, run: (q: CliQueue) => Promise<T>): Promise<T> {
  const [{ openQueueFromConfig }, { createLogger }, { secretsOf }] = await Promise.all([import('../app/queue-wiring.ts'), import('../logger.ts'), import('../config.ts')]);
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const queue = await openQueueFromConfig(config, logger);
  if (!queue) return run({});
  const { describeUrl } = await import('../engine/queue/job-queue.ts');
  const { watchForIdleWorkers } = await import('../engine/queue/idle-watch.ts');
  const where = describeUrl(queue.settings.url);
  process.stderr.write(`queue: jobs go to ${where}; \`ita worker\` processes run them (Ctrl-C cancels the run)\n`);

  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nCtrl-C: cancelling the run\'s jobs on the queue (Ctrl-C again quits at once)\n');
    controller.abort(new InterruptedError('interrupted (Ctrl-C): the run\'s jobs on the queue were cancelled'));
  };
  process.on('SIGINT', onInterrupt);
  const watch = watchForIdleWorkers(queue, {
    idleSeconds: config.queue.idleWarnSeconds,
    checkSeconds: Math.min(config.queue.pollSeconds, config.queue.idleWarnSeconds),
    onIdle: (waited, queued) =>
      process.stderr.write(
        `queue: ${queued} job(s) waiting ${waited} s and no worker has taken one — is an \`ita worker\` running against ${where}? ` +
          `Start one on any machine that reaches it: ITA_QUEUE_URL=postgres://user:password@${where} ita worker\n`,
      ),
  });
  try {
    return await run({ queue, signal: controller.signal });
  } catch (error) {
    // Whatever step noticed the abort first, the run ends as interrupted.
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    watch.stop();
    process.off('SIGINT', onInterrupt);
    // Waits for the cancel to reach pg-boss, so no worker starts a job of this run after we are gone.
    await queue.close();
  }
}
