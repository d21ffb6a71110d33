/**
 * A burst digest: many signals of one close in one message (the delivery worker sends it when a card per signal
 * would take Telegram's one message per second past the trader's 30 s). One line per signal, best first, with the
 * facts that decide whether to open it (side, setup, score, net R:R, validity); a numbered button per signal opens
 * its card (chart, all levels, Approve / Reject). The card is sent by a detached job, so the tap is answered at once
 * and the chat's other buttons do not wait for the chart.
 */
import { InlineKeyboard } from 'grammy';
import type { BurstPage } from '../../engine/live/burst.ts';
import type { Signal } from '../../engine/types.ts';
import type { BotContext } from '../context.ts';
import type { FeatureDeps } from '../feature.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatScore } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { translate } from '../i18n/index.ts';
import { TEXT_LIMIT, telegramLength, truncateHtml } from '../render/telegram-text.ts';
import type { Language } from '../services.ts';
import { REF_PATTERN } from './refs.ts';

const OPEN = new RegExp(`^dg:(${REF_PATTERN})$`);
const BUTTONS_PER_ROW = 5;

/** Shows a signal's card in a chat (the same message a signal gets when it is delivered on its own). */
export type OpenSignal = (signal: Signal, chatId: number) => Promise<unknown>;

export function digestMessage(page: BurstPage, refs: readonly string[], language: Language, timeZone: string): { html: string; keyboard: InlineKeyboard } {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(language, key, vars);
  const to = page.from + page.listed.length - 1;
  const head = page.from === 1 ? t('digest.title', { total: page.total }) : t('digest.titlePage', { from: page.from, to, total: page.total });
  const lines = page.listed.map((signal, i) => digestLine(signal, page.from + i, language, timeZone));
  const foot: string[] = [];
  if (page.cards.length === 1) foot.push(t('digest.cardsFollow'));
  else if (page.cards.length > 1) foot.push(t('digest.cardsFollowMany', { count: page.cards.length }));
  foot.push(t('digest.tap', { zone: escapeHtml(timeZone) }));
  let html = [head, '', ...lines, '', ...foot].join('\n');
  // Twenty lines fit with room to spare; a setup named at great length still cannot push the message over.
  if (telegramLength(html) > TEXT_LIMIT) html = truncateHtml(html, TEXT_LIMIT);
  const keyboard = new InlineKeyboard();
  refs.forEach((ref, i) => {
    keyboard.text(`${page.from + i}`, `dg:${ref}`);
    if ((i + 1) % BUTTONS_PER_ROW === 0) keyboard.row();
  });
  return { html, keyboard };
}

function digestLine(signal: Signal, n: number, language: Language, timeZone: string): string {
  const vars = {
    n,
    icon: signal.side === 'long' ? '🟢' : '🔴',
    symbol: escapeHtml(signal.symbol),
    timeframe: signal.timeframe,
    side: translate(language, signal.side === 'long' ? 'side.long' : 'side.short'),
    setup: escapeHtml(truncate(signal.setupName, 40)),
    score: formatScore(signal.score),
    rr: (signal.costs?.netRR ?? signal.rr).toFixed(2),
    until: formatDateTime(signal.validUntil, timeZone).slice(11),
  };
  return translate(language, signal.costs ? 'digest.line' : 'digest.lineGross', vars);
}

/** The numbered buttons of a digest: a valid signal's card is sent to the chat; an expired one is refused. */
export function installDigestCallbacks(deps: FeatureDeps, openSignal: OpenSignal | undefined): void {
  deps.handlers.callbackQuery(OPEN, async (ctx: BotContext) => {
    const ref = ctx.match![1];
    const id = await deps.refs.resolve(ref);
    const signal = id ? await deps.services.signals.get(id) : undefined;
    if (!signal || !openSignal) return void (await ctx.answerCallbackQuery({ text: ctx.t('signal.unknown') }));
    // The run's clock (a replay's position, the exchange's time), not the wall clock.
    if (signal.validUntil <= deps.services.now()) {
      const settings = await deps.settingsOf(ctx);
      return void (await ctx.answerCallbackQuery({ text: ctx.t('digest.expired', { time: `${formatDateTime(signal.validUntil, settings.timezone)} ${settings.timezone}` }), show_alert: true }));
    }
    await ctx.answerCallbackQuery({ text: ctx.t('digest.opening', { symbol: signal.symbol, timeframe: signal.timeframe }) });
    const chatId = ctx.chat!.id;
    deps.detached({ chatId, language: ctx.lang }, 'signal card', async () => void (await openSignal(signal, chatId)));
  });
}
