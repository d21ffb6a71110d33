/**
 * The one message that tells the trader what never reached them: signals Telegram refused (400), that expired while
 * the chat was unreachable (blocked bot, 403, sent once the chat takes messages again) or while ITA held them (quiet
 * hours, a backed-up queue).
 */
import type { Signal } from '../../engine/types.ts';
import { escapeHtml } from '../format/html.ts';
import { formatDateTime } from '../format/time.ts';
import { translate } from '../i18n/index.ts';
import type { Language } from '../services.ts';
import { TEXT_LIMIT, telegramLength, truncatePlain } from '../render/telegram-text.ts';

export interface DroppedDelivery {
  signal: Signal;
  /** Telegram's last error for it. */
  error: string;
  /** True when it was given up because it expired while undeliverable (not refused outright). */
  expired: boolean;
  /** It expired while ITA held it (quiet hours, a backed-up queue) rather than while the chat was unreachable. */
  held?: boolean;
}

export function droppedNotice(dropped: readonly DroppedDelivery[], language: Language, timeZone: string): string {
  const lines = dropped.map(({ signal, error, expired, held }) => translate(language, 'tx.delivery.line', {
    time: formatDateTime(signal.ts, timeZone),
    side: translate(language, signal.side === 'long' ? 'side.long' : 'side.short'),
    symbol: escapeHtml(signal.symbol),
    timeframe: signal.timeframe,
    setup: escapeHtml(signal.setupName),
    reason: expired ? translate(language, held ? 'tx.delivery.expiredHeld' : 'tx.delivery.expired') : translate(language, 'tx.delivery.refused', { error: escapeHtml(truncatePlain(error, 120)) }),
  }));
  const build = (shown: number) => translate(language, 'tx.delivery.dropped', {
    count: dropped.length,
    list: [...lines.slice(0, shown), ...(shown < lines.length ? [translate(language, 'tx.delivery.more', { count: lines.length - shown })] : [])].join('\n'),
  });
  let shown = lines.length;
  while (shown > 0 && telegramLength(build(shown)) > TEXT_LIMIT) shown -= 1;
  return build(shown);
}
