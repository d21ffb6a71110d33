/**
 * Executor events → messages to the owner(s). The executor emits each state change once; this layer additionally
 * drops repeats (the same trade, the same lock, a second "exchange down" before it recovered) so a restart or a
 * chatty broker can never flood the chat. Delivery failures are logged and never reach the executor.
 */
import type { Executor, ExecutorEvent } from '../../engine/exec/executor/types.ts';
import type { ResolvedApproval } from '../../engine/exec/executor/recovery.ts';
import type { Logger } from '../../logger.ts';
import { escapeHtml } from '../format/html.ts';
import { formatR } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { translator } from '../i18n/index.ts';
import type { Language } from '../services.ts';
import { engineHtml, signedMoney } from './format.ts';

export interface TextNotifier {
  notifyText(chatId: number, html: string): Promise<unknown>;
}

/** The message for an event the trader must hear about; undefined for the rest (verdicts, fills, stop moves). */
export function executorEventText(event: ExecutorEvent, language: Language, timeZone = 'UTC'): string | undefined {
  const t = translator(language);
  switch (event.type) {
    case 'trade-closed':
      return t('exec.event.tradeClosed', {
        icon: event.pnl >= 0 ? '🟢' : '🔴', symbol: escapeHtml(event.symbol), setup: escapeHtml(event.setupId),
        pnl: signedMoney(event.pnl), r: formatR(event.r), reason: engineHtml(event.reason, language),
      });
    case 'stop-refused':
      return t('exec.event.stopRefused', { symbol: escapeHtml(event.symbol), pnl: signedMoney(event.pnl), reason: engineHtml(event.reason, language) });
    case 'daily-lock':
      return t('exec.event.dailyLock', { text: engineHtml(event.text, language) });
    case 'kill-switch':
      return t('exec.event.killSwitch', { text: engineHtml(event.text, language) });
    case 'exchange-unavailable':
      if (event.startup) return t('exec.event.exchangeDownStartup', { time: `${formatDateTime(event.at, timeZone)} ${escapeHtml(timeZone)}`, text: engineHtml(event.message, language) });
      return t('exec.event.exchangeDown', { time: `${formatDateTime(event.at, timeZone)} ${escapeHtml(timeZone)}`, text: engineHtml(event.message, language) });
    case 'exchange-recovered':
      // After a start-up outage the deferred reconciliation report says it (one message: books compared, entries resume).
      if (event.startup) return undefined;
      return t('exec.event.exchangeUp', { time: `${formatDateTime(event.downSince, timeZone)} ${escapeHtml(timeZone)}` });
    default:
      return undefined;
  }
}

/** Subscribes to the executor; returns the unsubscribe function. */
export function notifyExecutorEvents(
  ita: TextNotifier,
  executor: Executor,
  recipients: readonly number[],
  language: Language,
  options: { timeZone?: string; logger?: Logger } = {},
): () => void {
  const seen = new Set<string>();
  let exchangeDown = false;
  let queue: Promise<void> = Promise.resolve();

  const isRepeat = (event: ExecutorEvent): boolean => {
    if (event.type === 'exchange-unavailable') {
      if (exchangeDown) return true;
      exchangeDown = true;
      return false;
    }
    if (event.type === 'exchange-recovered') {
      if (!exchangeDown) return true;
      exchangeDown = false;
      return false;
    }
    const key = event.type === 'trade-closed' || event.type === 'stop-refused' ? `${event.type}:${event.positionId}` : `${event.type}:${'at' in event ? event.at : ''}`;
    if (seen.has(key)) return true;
    // Bounded memory for a bot that runs for months; old keys cannot repeat anyway.
    if (seen.size > 5000) seen.clear();
    seen.add(key);
    return false;
  };

  return executor.on((event) => {
    // Repeats first: an outage's end that another message announces still ends it here.
    if (isRepeat(event)) return;
    const text = executorEventText(event, language, options.timeZone);
    if (!text) return;
    // One chain keeps the messages in the order the events happened.
    queue = queue.then(async () => {
      for (const chatId of recipients) {
        try {
          await ita.notifyText(chatId, text);
        } catch (error) {
          options.logger?.warn('executor event not delivered', { chatId, event: event.type, error: error instanceof Error ? error.message : String(error) });
        }
      }
    });
  });
}

/** One message listing the approvals resolved at start-up (see engine/exec/executor/recovery.ts); undefined if none. */
export function resolvedApprovalsText(items: readonly ResolvedApproval[], language: Language): string | undefined {
  if (items.length === 0) return undefined;
  const t = translator(language);
  return [
    t('exec.recovered.head'),
    // Telegram's 4,096-character limit: a long list names the first 15 (the rest are in /signals and the journal).
    ...items.slice(0, 15).map((i) => t('exec.recovered.item', {
      symbol: escapeHtml(i.symbol), side: t(i.side === 'long' ? 'side.long' : 'side.short'), setup: escapeHtml(i.setupId), outcome: engineHtml(i.outcome, language),
    })),
    ...(items.length > 15 ? [`… +${items.length - 15}`] : []),
  ].join('\n');
}
