/**
 * The reconciliation report as ONE Telegram message per recipient: every difference between ITA's books and the
 * exchange on its own line, then each open position with its stop (or the lack of one). A clean result is one line.
 */
import type { BrokerOrder, Difference } from '../../engine/exec/broker.ts';
import type { VenueOrder } from '../../engine/exec/core/venue.ts';
import type { ReconciliationReport } from '../../engine/exec/live/report.ts';
import type { Logger } from '../../logger.ts';
import { escapeHtml } from '../format/html.ts';
import { formatPrice } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { translator, type MessageKey, type Translate } from '../i18n/index.ts';
import type { Language } from '../services.ts';
import { engineHtml, formatSize } from './format.ts';
import type { TextNotifier } from './notify.ts';

const MAX_LINES = 12;

export function reconciliationText(report: ReconciliationReport, language: Language): string {
  const t = translator(language);
  const trigger = t(`rec.trigger.${report.trigger}` as MessageKey);
  const resumed = report.resumedAfter === undefined ? [] : [t('rec.resumed', { time: formatDateTime(report.resumedAfter) })];
  if (report.differences.length === 0) {
    return [...resumed, t('rec.match', { trigger, positions: report.positions.length, orders: report.openOrders })].join('\n');
  }
  const lines = [...resumed, t('rec.header', { trigger, count: t('rec.count', { n: report.differences.length }) })];
  // One message, within Telegram's 4096 characters: the rest is in the log, each difference on its own line.
  for (const difference of report.differences.slice(0, MAX_LINES)) lines.push(differenceLine(difference, t, language));
  if (report.differences.length > MAX_LINES) lines.push(t('rec.more', { n: report.differences.length - MAX_LINES }));
  if (report.positions.length > 0) {
    lines.push('', t('rec.now'));
    for (const p of report.positions) {
      const vars = { symbol: escapeHtml(p.symbol), amount: formatSize(p.remaining) };
      lines.push(p.stopOrder
        ? t('rec.position.protected', { ...vars, stop: formatPrice(p.stopOrder.stopPrice ?? p.stop), id: escapeHtml(p.stopOrder.id) })
        : t('rec.position.unprotected', vars));
    }
  }
  return lines.join('\n');
}

function differenceLine(d: Difference, t: Translate, language: Language): string {
  const local = d.local as BrokerOrder | undefined;
  const venue = d.venue as VenueOrder | undefined;
  const role = (o: BrokerOrder) => t(`rec.role.${o.role}` as MessageKey);
  const status = (s: string) => t(`rec.status.${s}` as MessageKey);
  switch (d.kind) {
    case 'order-missing-on-venue':
      if (!local) break;
      return t('rec.diff.missing', {
        role: role(local), id: escapeHtml(local.id), side: t(`rec.side.${local.side}` as MessageKey), amount: formatSize(local.amount),
        symbol: escapeHtml(local.symbol), status: status(local.status),
      });
    case 'order-state':
      if (!local || !venue) break;
      return t('rec.diff.state', {
        role: role(local), id: escapeHtml(local.id), symbol: escapeHtml(local.symbol), status: status(local.status),
        filled: formatSize(local.filled), amount: formatSize(local.amount), venueStatus: status(venue.status),
        venueFilled: formatSize(venue.filled), venueAmount: formatSize(venue.amount),
      });
    case 'order-unknown-locally':
      if (!venue) break;
      return t('rec.diff.unknown', { id: escapeHtml(venue.clientOrderId), symbol: escapeHtml(venue.symbol), amount: formatSize(venue.amount) });
    case 'balance-short':
      return t('rec.diff.balance', { amount: formatSize(Number(d.local)), held: formatSize(Number(d.venue)), asset: escapeHtml(d.subject) });
    case 'position-unprotected': {
      const p = d.local as { symbol: string; remaining: number } | undefined;
      if (!p) break;
      return t('rec.diff.unprotected', { symbol: escapeHtml(p.symbol), amount: formatSize(p.remaining) });
    }
    default:
      break;
  }
  return t('rec.diff.other', { text: engineHtml(d.message, language) });
}

/** Sends the report to every recipient; delivery failures are logged, never thrown at the broker. */
export async function sendReconciliationReport(
  ita: TextNotifier,
  recipients: readonly number[],
  language: Language,
  report: ReconciliationReport,
  logger?: Logger,
): Promise<void> {
  const text = reconciliationText(report, language);
  for (const chatId of recipients) {
    try {
      await ita.notifyText(chatId, text);
    } catch (error) {
      logger?.warn('reconciliation report not delivered', { chatId, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
