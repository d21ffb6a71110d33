/**
 * Similar: the nearest past occurrences of the same setup on the same side (journal and backtest replay), each with
 * its result in R, the win rate among them, and their charts as one album so the trader can compare the pictures.
 */
import { InputFile, InputMediaBuilder } from 'grammy';
import type { Signal } from '../../engine/types.ts';
import type { BotContext } from '../context.ts';
import { html, type FeatureDeps } from '../feature.ts';
import type { SimilarSignal } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { formatPercent, formatR } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineText } from '../i18n/index.ts';

const SIMILAR = 5;

export function similarText(ctx: BotContext, target: Signal, similar: readonly SimilarSignal[], timeZone: string): string {
  const side = ctx.t(target.side === 'long' ? 'side.long' : 'side.short');
  const lines = [ctx.t('similar.title', { side, setup: escapeHtml(target.setupName) })];
  similar.forEach(({ signal, outcome, similarity, r, source }, i) => {
    lines.push(ctx.t('similar.line', {
      n: i + 1, time: formatDateTime(signal.ts, timeZone), source: ctx.t(source === 'backtest' ? 'similar.backtest' : 'similar.journal'),
      outcome: r !== undefined ? `<b>${formatR(r)}</b>` : escapeHtml(localizeEngineText(outcome, ctx.lang)), similarity: Math.round(similarity * 100),
    }));
  });
  const results = similar.filter((s) => s.r !== undefined).map((s) => s.r!);
  if (results.length === 0) lines.push('', ctx.t('similar.noResults'));
  else {
    const wins = results.filter((r) => r > 0).length;
    const average = results.reduce((sum, r) => sum + r, 0) / results.length;
    lines.push('', ctx.t('similar.winRate', { wins, trades: results.length, rate: formatPercent(wins / results.length, 0), average: formatR(average) }));
  }
  return lines.join('\n');
}

export async function replySimilar(ctx: BotContext, deps: FeatureDeps, target: Signal, timeZone: string): Promise<void> {
  await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
  const similar = await deps.services.signals.similar(target.id, SIMILAR);
  if (similar.length === 0) return void (await ctx.reply(ctx.t('signal.noSimilar')));
  await ctx.reply(similarText(ctx, target, similar, timeZone), html);
  // Charts of occurrences whose candles are stored; one that cannot be drawn is left out of the album, not fatal.
  const charts = await Promise.all(similar.map((s) => deps.services.charts.signal(s.signal).catch(() => undefined)));
  const media = similar.flatMap((s, i) => {
    const png = charts[i];
    if (!png) return [];
    const caption = `${i + 1}. ${formatDateTime(s.signal.ts, timeZone)} · ${s.r !== undefined ? formatR(s.r) : localizeEngineText(s.outcome, ctx.lang)}`;
    return [InputMediaBuilder.photo(new InputFile(png, `similar-${i + 1}.png`), { caption })];
  });
  if (media.length >= 2) {
    try {
      await ctx.replyWithMediaGroup(media);
      return;
    } catch (error) {
      // A Bot API server without albums (the local emulator): the same charts one by one.
      deps.logger.warn('album not sent, sending the charts one by one', { error: error instanceof Error ? error.message : String(error) });
    }
  }
  for (const item of media) await ctx.replyWithPhoto(item.media, { caption: item.caption });
}
