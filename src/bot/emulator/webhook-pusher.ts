/**
 * Webhook delivery as Telegram does it: each update POSTed as JSON to the registered URL with the
 * X-Telegram-Bot-Api-Secret-Token header; a non-2xx answer or a network error is retried (here after 1 s), in order.
 */
import type { EmulatorState } from './emulator-state.ts';

export function startWebhookPusher(state: EmulatorState): () => void {
  let running = false;
  let stopped = false;
  const pump = async () => {
    if (running || stopped) return;
    running = true;
    try {
      for (let update = state.queue.peek(); update && state.settings.webhookUrl && !stopped; update = state.queue.peek()) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (state.settings.webhookSecret) headers['x-telegram-bot-api-secret-token'] = state.settings.webhookSecret;
        const ok = await fetch(state.settings.webhookUrl, { method: 'POST', headers, body: JSON.stringify(update) })
          .then(async (response) => {
            await response.arrayBuffer().catch(() => undefined);
            return response.ok;
          })
          .catch(() => false);
        if (ok) state.queue.drop(update.update_id);
        else await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } finally {
      running = false;
    }
  };
  state.queue.onPush = () => void pump();
  state.webhookChanged = () => void pump();
  return () => {
    stopped = true;
    state.queue.onPush = undefined;
  };
}
