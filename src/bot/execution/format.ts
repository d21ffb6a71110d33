/**
 * Money, R and period texts of the execution commands. Amounts are in the market's quote currency (USDT for
 * BTC/USDT), which the position's symbol names; the executor keeps one account currency, so totals carry none.
 */
import type { Period, PnlSummary, PositionView } from '../../engine/exec/executor/types.ts';
import { escapeHtml } from '../format/html.ts';
import { formatPrice, formatR } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineText, type Translate } from '../i18n/index.ts';
import type { Language } from '../services.ts';
import { positionRef } from './refs.ts';

export const PERIODS: readonly Period[] = ['day', 'week', 'month'];

const PERIOD_WORDS: Record<string, Period> = {
  day: 'day', d: 'day', today: 'day', 'день': 'day',
  week: 'week', w: 'week', 'неделя': 'week',
  month: 'month', m: 'month', 'месяц': 'month',
};

/** Empty → day (the default); unknown words → undefined so the command can show its usage. */
export function parsePeriod(args: string): Period | undefined {
  if (args === '') return 'day';
  return PERIOD_WORDS[args.toLowerCase()];
}

export function quoteCurrency(symbol: string): string {
  return symbol.split('/')[1]?.split(':')[0] ?? '';
}

/** +12.30 / −4.00: the sign always shown, a real minus so it is not read as a hyphen. */
export function signedMoney(value: number, currency = ''): string {
  const text = `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;
  return currency ? `${text} ${currency}` : text;
}

export function formatSize(size: number): string {
  return Number(size.toPrecision(6)).toString();
}

export function positionLabel(p: PositionView, t: Translate): string {
  return `<b>${t(p.side === 'long' ? 'side.long' : 'side.short')} ${escapeHtml(p.symbol)}</b> ${p.timeframe} (ID <code>${positionRef(p.id)}</code>)`;
}

export function positionLines(p: PositionView, n: number, t: Translate): string[] {
  const quote = quoteCurrency(p.symbol);
  return [
    t('exec.positions.head', {
      n, icon: p.side === 'long' ? '🟢' : '🔴', side: t(p.side === 'long' ? 'side.long' : 'side.short'), symbol: escapeHtml(p.symbol),
      timeframe: p.timeframe, setup: escapeHtml(p.setupId), ref: positionRef(p.id), status: p.status === 'pending' ? t('exec.positions.pending') : '',
    }),
    p.status === 'pending'
      ? t('exec.positions.order', { entry: formatPrice(p.entryPrice), stop: formatPrice(p.stop), size: formatSize(p.size) })
      : t('exec.positions.levels', { entry: formatPrice(p.entryPrice), stop: formatPrice(p.stop), size: formatSize(p.remaining) }),
    t('exec.positions.result', {
      last: formatPrice(p.lastPrice), pnl: signedMoney(p.realized + p.unrealized, quote), r: formatR(p.r),
      realized: p.realized !== 0 ? t('exec.positions.realized', { value: signedMoney(p.realized, quote) }) : '',
    }),
    ...(p.unmanaged ? [t('exec.positions.unmanaged')] : []),
  ];
}

export function pnlText(summary: PnlSummary, t: Translate, timeZone: string): string {
  const { header, items } = pnlContent(summary, t, timeZone);
  return [header, ...items].join('\n');
}

/** The totals as a header and one entry per setup, so a long /pnl can be paged. */
export function pnlContent(summary: PnlSummary, t: Translate, timeZone: string): { header: string; items: string[] } {
  const lines = [
    t('exec.pnl.title', { period: t(`exec.period.${summary.period}`), from: formatDateTime(summary.from, timeZone), to: formatDateTime(summary.to, timeZone) }),
    t('exec.pnl.realized', { value: signedMoney(summary.realized), r: formatR(summary.realizedR), trades: summary.trades, wins: summary.wins }),
    t('exec.pnl.unrealized', { value: signedMoney(summary.unrealized), r: formatR(summary.unrealizedR) }),
    t('exec.pnl.total', { value: signedMoney(summary.total) }),
  ];
  if (summary.bySetup.length) lines.push('', t('exec.pnl.bySetup'));
  const items = summary.bySetup.map((s) => t('exec.pnl.setupLine', {
    setup: escapeHtml(s.setupId), trades: s.trades, value: signedMoney(s.realized), r: formatR(s.realizedR), unrealized: signedMoney(s.unrealized),
  }));
  return { header: lines.join('\n'), items };
}

/** An executor error in the trader's language (its sentences are the engine's templates). */
export function errorText(error: unknown, language: Language = 'en'): string {
  return escapeHtml(localizeEngineText(error instanceof Error ? error.message : String(error), language));
}

/** An executor sentence, translated and escaped for HTML. */
export function engineHtml(text: string, language: Language): string {
  return escapeHtml(localizeEngineText(text, language));
}
