/**
 * Sends one chat request to the configured providers in order: a per-call timeout, retries with exponential
 * backoff on transient failures (429 honouring retry-after, 5xx, timeouts, broken bodies), then fallback to the
 * next provider. Every attempt is written to the usage ledger; the daily budget is enforced before each attempt.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { LlmBudgetExceededError, LlmUnavailableError } from './errors.ts';
import { maskSecrets } from '../../secrets.ts';
import type { RoutedProvider } from './providers.ts';
import type { UsageLedger, UsageSummary } from './usage-store.ts';

export interface CompleteOptions {
  /** What the call is for, stored with its accounting row ("answer", "comment", "critique", ...). */
  purpose: string;
  /** Use only this provider (no fallback): ensemble and role modes address models one by one. */
  only?: string;
  /** Abort everything when this fires (e.g. the bot's latency budget). */
  signal?: AbortSignal;
  /** Absolute deadline (epoch ms by the router's clock): no attempt or backoff is started past it. */
  deadline?: number;
}

export interface LlmReply {
  text: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
}

export interface LlmRouter {
  readonly providerNames: string[];
  readonly dailyBudgetUsd: number;
  complete(messages: BaseMessage[], options: CompleteOptions): Promise<LlmReply>;
  usageToday(): Promise<UsageSummary>;
}

export interface RouterOptions {
  providers: RoutedProvider[];
  ledger: UsageLedger;
  dailyBudgetUsd: number;
  /** Extra attempts per provider after the first. */
  retries?: number;
  /** First backoff delay; doubles per retry. */
  backoffMs?: number;
  /** A retry-after longer than this sends us to the next provider instead of waiting. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export function createLlmRouter(options: RouterOptions): LlmRouter {
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const { ledger, dailyBudgetUsd } = options;

  async function complete(messages: BaseMessage[], call: CompleteOptions): Promise<LlmReply> {
    const candidates = call.only ? options.providers.filter((p) => p.name === call.only) : options.providers;
    if (candidates.length === 0) throw new LlmUnavailableError(`no LLM provider named "${call.only ?? ''}" is configured`);
    const failures: string[] = [];
    let budgetRefusal: LlmBudgetExceededError | undefined;

    for (const provider of candidates) {
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (call.signal?.aborted) throw new LlmUnavailableError(`LLM call aborted (${failures.join('; ') || 'deadline'})`);
        const remaining = call.deadline === undefined ? Infinity : call.deadline - now();
        if (remaining <= 0) throw new LlmUnavailableError(`LLM deadline passed (${failures.join('; ') || 'no attempt made'})`);
        if (!isFree(provider)) {
          const spent = (await ledger.usageToday(now())).costUsd;
          if (spent >= dailyBudgetUsd) {
            budgetRefusal = new LlmBudgetExceededError(spent, dailyBudgetUsd);
            failures.push(`${provider.name}: budget spent`);
            break;
          }
        }
        const outcome = await attemptOnce(provider, messages, call, Math.min(provider.timeoutMs, remaining));
        if (outcome.ok) return outcome.reply;
        failures.push(`${provider.name}: ${outcome.reason}`);
        if (outcome.callerAborted) throw new LlmUnavailableError(`LLM call aborted (${failures.join('; ')})`);
        if (!outcome.retryable || attempt === retries) break;
        const delay = outcome.retryAfterMs ?? backoffMs * 2 ** attempt;
        if (delay > maxRetryAfterMs) break;
        if (call.deadline !== undefined && now() + delay >= call.deadline) break;
        await sleep(delay, call.signal);
      }
    }
    if (budgetRefusal && failures.every((f) => f.endsWith('budget spent'))) throw budgetRefusal;
    throw new LlmUnavailableError(`every LLM provider failed: ${failures.join('; ')}`);
  }

  type Outcome =
    | { ok: true; reply: LlmReply }
    | { ok: false; reason: string; retryable: boolean; retryAfterMs?: number; callerAborted: boolean };

  async function attemptOnce(provider: RoutedProvider, messages: BaseMessage[], call: CompleteOptions, timeoutMs: number): Promise<Outcome> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = call.signal ? AbortSignal.any([timeout.signal, call.signal]) : timeout.signal;
    const started = now();
    const base = { ts: started, provider: provider.name, model: provider.model, purpose: call.purpose };
    try {
      const message = await provider.chat.invoke(messages, { signal });
      const latencyMs = now() - started;
      const text = messageText(message.content);
      const usage = (message as { usage_metadata?: { input_tokens?: number; output_tokens?: number } }).usage_metadata;
      // Servers that report no usage are charged by estimate so the budget still holds.
      const inputTokens = usage?.input_tokens ?? estimateTokens(messages.map((m) => messageText(m.content)).join('\n'));
      const outputTokens = usage?.output_tokens ?? estimateTokens(text);
      const costUsd = (inputTokens * provider.inputPricePerMTok + outputTokens * provider.outputPricePerMTok) / 1e6;
      await ledger.record({ ...base, inputTokens, outputTokens, costUsd, latencyMs, ok: true });
      return { ok: true, reply: { text, provider: provider.name, model: provider.model, inputTokens, outputTokens, costUsd, latencyMs } };
    } catch (error) {
      const callerAborted = call.signal?.aborted === true;
      const failure = classify(error, timeout.signal.aborted && !callerAborted, timeoutMs);
      await ledger.record({ ...base, inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: now() - started, ok: false, error: failure.reason });
      return { ok: false, ...failure, callerAborted };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    providerNames: options.providers.map((p) => p.name),
    dailyBudgetUsd,
    complete,
    usageToday: () => ledger.usageToday(now()),
  };
}

function isFree(provider: RoutedProvider): boolean {
  return provider.inputPricePerMTok === 0 && provider.outputPricePerMTok === 0;
}

/** Decides retry vs. next provider from what went wrong; 4xx other than 429 will not improve by asking again. */
function classify(error: unknown, timedOut: boolean, timeoutMs: number): { reason: string; retryable: boolean; retryAfterMs?: number } {
  if (timedOut) return { reason: `timed out after ${timeoutMs} ms`, retryable: true };
  const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : undefined;
  // Error texts are stored (llm_calls.error) and shown: a server echoing the key or the Authorization header must not leak it.
  const message = maskSecrets(error instanceof Error ? error.message.split('\n')[0] : String(error)).slice(0, 500);
  if (status === 429) return { reason: `HTTP 429 rate limited`, retryable: true, retryAfterMs: retryAfterMs(error) };
  if (status !== undefined && status >= 500) return { reason: `HTTP ${status}`, retryable: true };
  if (status !== undefined) return { reason: `HTTP ${status}: ${message}`, retryable: false };
  return { reason: message, retryable: true };
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { headers?: unknown }).headers;
  let value: string | null | undefined;
  if (headers && typeof (headers as Headers).get === 'function') value = (headers as Headers).get('retry-after');
  else if (headers && typeof headers === 'object') value = (headers as Record<string, string>)['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

/** About four characters per token for English; Cyrillic runs higher, so this errs on the cheap side only slightly. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
