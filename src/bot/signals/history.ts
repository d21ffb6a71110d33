/**
 * /signals: the journal, newest first, a page at a time (◀ ▶ edit the same message). Each row names the signal by its
 * short reference, with time, setup, side, status and the result in R, and has its own Details and Similar buttons
 * (the signal card's own "sg:d" / "sg:s" handlers answer them).
 */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { SignalHistoryItem } from '../services.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatR, formatScore } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineText, type MessageKey } from '../i18n/index.ts';

export const HISTORY_PAGE = 5;
const STATUS_ICON: Record<SignalHistoryItem['status'], string> = {
  waiting: '⏳', expired: '⌛', rejected: '❌', approved: '✅', 'not-placed': '⛔', order: '📝', open: '📈', cancelled: '✖️', closed: '🏁',
};

function statusText(item: SignalHistoryItem, ctx: BotContext): string {
  const status = ctx.t(`history.status.${item.status}` as MessageKey);
  const result = item.status === 'closed' && item.r !== undefined ? ` <b>${formatR(item.r)}</b>` : '';
  const reason = item.reason ? ` · ${escapeHtml(truncate(localizeEngineText(item.reason, ctx.lang), 60))}` : '';
  return `${STATUS_ICON[item.status]} ${status}${result}${reason}`;
}

export async function historyPage(deps: FeatureDeps, ctx: BotContext, offset: number): Promise<{ text: string; keyboard?: InlineKeyboard }> {
  const [page, settings] = await Promise.all([deps.services.signals.history(offset, HISTORY_PAGE), deps.settingsOf(ctx)]);
  if (page.total === 0) return { text: ctx.t('signals.empty') };
  if (page.items.length === 0 && offset > 0) return historyPage(deps, ctx, Math.max(0, Math.floor((page.total - 1) / HISTORY_PAGE) * HISTORY_PAGE));
  const keyboard = new InlineKeyboard();
  const lines = [ctx.t('history.title', { from: offset + 1, to: offset + page.items.length, total: page.total })];
  for (const [i, item] of page.items.entries()) {
    const s = item.signal;
    const n = offset + i + 1;
    const ref = await deps.refs.remember(s.id);
    const side = ctx.t(s.side === 'long' ? 'side.long' : 'side.short');
    lines.push(
      '',
      `${n}. <code>${ref}</code> · ${formatDateTime(s.ts, settings.timezone)} · <b>${side} ${escapeHtml(s.symbol)}</b> ${s.timeframe}`,
      `   ${escapeHtml(truncate(s.setupName, 48))} · ${ctx.t('signal.score')} ${formatScore(s.score)}`,
      `   ${statusText(item, ctx)}`,
    );
    keyboard.text(ctx.t('history.details', { n }), `sg:d:${ref}`).text(ctx.t('history.similar', { n }), `sg:s:${ref}`).row();
  }
  const previous = offset > 0;
  const next = offset + page.items.length < page.total;
  if (previous) keyboard.text('◀', `sh:p:${Math.max(0, offset - HISTORY_PAGE)}`);
  if (previous || next) keyboard.text(`${Math.floor(offset / HISTORY_PAGE) + 1}/${Math.ceil(page.total / HISTORY_PAGE)}`, 'sh:n');
  if (next) keyboard.text('▶', `sh:p:${offset + HISTORY_PAGE}`);
  return { text: lines.join('\n'), keyboard };
}

export function installSignalHistory(deps: FeatureDeps): void {
  deps.registry.register({
    name: 'signals',
    description: { en: 'Signal history: status and result in R, page by page', ru: 'История сигналов: статус и результат в R, по страницам' },
    async handler(ctx) {
      const page = await historyPage(deps, ctx, 0);
      await ctx.reply(page.text, { ...html, reply_markup: page.keyboard });
    },
  });

  deps.handlers.callbackQuery(/^sh:p:(\d{1,7})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const page = await historyPage(deps, ctx, Number(ctx.match[1]));
    try {
      await ctx.editMessageText(page.text, { ...html, reply_markup: page.keyboard });
    } catch (error) {
      // The same page again (a double tap) is not an error worth reporting.
      if (!/not modified/.test((error as Error).message)) throw error;
    }
  });
  deps.handlers.callbackQuery('sh:n', (ctx) => ctx.answerCallbackQuery());
}
