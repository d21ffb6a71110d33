/**
 * Health gates → messages: one when a gate opens (new entries paused on which markets, and why), one when it
 * clears. The gates announce each change once; delivery failures are logged, never thrown back.
 */
import type { GateChange, HealthGates, OpenGate } from '../../engine/live/health-gates.ts';
import type { Logger } from '../../logger.ts';
import { escapeHtml } from '../format/html.ts';
import { translator } from '../i18n/index.ts';
import type { Language } from '../services.ts';
import { engineHtml } from './format.ts';
import type { TextNotifier } from './notify.ts';

function scope(gate: OpenGate, language: Language): string {
  return gate.market ? escapeHtml(`${gate.market.symbol} ${gate.market.timeframe}`) : translator(language)('health.allMarkets', { exchange: escapeHtml(gate.exchange) });
}

export function healthGateText(change: GateChange, language: Language): string {
  const t = translator(language);
  const where = scope(change.gate, language);
  return change.type === 'gate-opened'
    ? t('health.opened', { where, reason: engineHtml(change.gate.reason, language) })
    : t('health.cleared', { where });
}

/** Subscribes to the gates; returns the unsubscribe function. */
export function notifyHealthGates(ita: TextNotifier, gates: HealthGates, recipients: readonly number[], language: Language, logger?: Logger): () => void {
  let queue: Promise<void> = Promise.resolve();
  return gates.on((change) => {
    const text = healthGateText(change, language);
    queue = queue.then(async () => {
      for (const chatId of recipients) {
        await ita.notifyText(chatId, text).catch((error: unknown) =>
          logger?.warn('health gate message not delivered', { chatId, error: error instanceof Error ? error.message : String(error) }));
      }
    });
  });
}
