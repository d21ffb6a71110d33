/**
 * The outgoing pace every message of the bot keeps: grammY's throttler (Telegram's published limits: one message a
 * second per private chat, twenty a minute per group, thirty a second overall) inside auto-retry, so that a 429
 * Telegram still answers waits its retry_after outside the throttle queue. Callback answers are not chat messages
 * and never wait behind a chat's queued sends. The live bench paces its sends with the same function.
 */
import type { Api } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';

export interface PacingOptions {
  throttle?: APIThrottlerOptions;
  autoRetry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
}

export function paceOutgoing(api: Api, options: PacingOptions = {}): void {
  const throttler = apiThrottler(options.throttle);
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, ...options.autoRetry });
  // Installed in this order, auto-retry is the outer transformer: a 429 waits outside the throttle queue.
  api.config.use((prev, method, payload, signal) => (method === 'answerCallbackQuery' ? prev(method, payload, signal) : throttler(prev, method, payload, signal)));
  api.config.use(retry);
}
