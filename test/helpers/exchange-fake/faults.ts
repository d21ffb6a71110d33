/**
 * Fault injection for the exchange fake: the next N requests (optionally only those whose path matches) fail in
 * a chosen way. Faults are consumed in the order they were queued.
 */
export type FaultKind =
  /** An HTTP error status with a Binance-style JSON body; 429/418 carry Retry-After. */
  | { kind: 'status'; status: number; retryAfterSec?: number; body?: unknown }
  /** An HTTP error status with a raw (non-JSON) body, e.g. a proxy's HTML error page. */
  | { kind: 'raw'; status: number; body: string; contentType?: string }
  /** Accept the request and never answer (the client must time out). */
  | { kind: 'hang' }
  /** 200 OK with a truncated JSON body. */
  | { kind: 'malformed' };

export type FaultSpec = FaultKind & {
  /** How many matching requests this fault answers (default 1). */
  count?: number;
  /** Only requests whose path equals this string (or matches this RegExp) are affected. */
  path?: string | RegExp;
};

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultQueue {
  private readonly queue: QueuedFault[] = [];

  add(spec: FaultSpec): void {
    this.queue.push({ spec, remaining: spec.count ?? 1 });
  }

  /** Takes one use of the first fault matching `path`, if any. */
  take(path: string): FaultKind | undefined {
    const index = this.queue.findIndex((q) => matches(q.spec.path, path));
    if (index < 0) return undefined;
    const queued = this.queue[index];
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.queue.splice(index, 1);
    return queued.spec;
  }

  /** Faults still waiting to fire: a test can assert that all it queued were used. */
  pending(): number {
    return this.queue.reduce((sum, q) => sum + q.remaining, 0);
  }

  clear(): void {
    this.queue.length = 0;
  }
}

function matches(filter: string | RegExp | undefined, path: string): boolean {
  if (filter === undefined) return true;
  return typeof filter === 'string' ? filter === path : filter.test(path);
}

/** Default bodies, as Binance sends them. */
export function faultBody(status: number): unknown {
  if (status === 429) return { code: -1003, msg: 'Too many requests; current limit of IP is 6000 requests per minute.' };
  if (status === 418) return { code: -1003, msg: 'Way too many requests; IP banned until later.' };
  if (status >= 500) return { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' };
  return { code: -1000, msg: 'An unknown error occurred while processing the request.' };
}
