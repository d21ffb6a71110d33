/**
 * A coordinator whose jobs no worker takes would wait forever without a word (no `ita worker` running, or one
 * pointed at another database). The watch looks at this coordinator's open jobs and reports once every
 * `idleSeconds` of them sitting queued with none taken; a job being worked on resets it.
 */
import type { JobQueue } from './job-queue.ts';

export interface IdleWatch {
  stop(): void;
}

export function watchForIdleWorkers(
  queue: Pick<JobQueue, 'openJobs'>,
  o: { idleSeconds: number; checkSeconds: number; onIdle: (waitedSeconds: number, queued: number) => void },
): IdleWatch {
  let idleSince: number | undefined;
  let reported = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const open = await queue.openJobs().catch(() => undefined);
    if (stopped || !open) return;
    if (open.queued === 0 || open.active > 0) {
      idleSince = undefined;
      reported = 0;
      return;
    }
    const now = Date.now();
    idleSince ??= now;
    const waited = (now - idleSince) / 1000;
    // Once per full period of idleness: at idleSeconds, 2 × idleSeconds, …
    if (Math.floor(waited / o.idleSeconds) > reported) {
      reported = Math.floor(waited / o.idleSeconds);
      o.onIdle(Math.round(waited), open.queued);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void check().finally(schedule), o.checkSeconds * 1000);
    // Never what keeps a finished run's process alive.
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
