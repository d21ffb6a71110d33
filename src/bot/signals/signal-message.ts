/**
 * The signal as the trader sees it on a phone: a short photo caption, one line per fact (what and where, the setup and
 * its score, why, entry and stop, targets with NET R:R, what the costs assume, the track record, validity), and the
 * buttons. Everything else (all reasons, the context values, gross vs net per target) is behind Details.
 * The caption limit is Telegram's: 1,024 UTF-16 units of the text after entity parsing, so tags do not count; parts
 * are shortened whole (fewer reasons, shorter comment) and HTML is never cut.
 */
import { telegramLength, truncateHtml } from '../render/telegram-text.ts';
import { InlineKeyboard } from 'grammy';
import type { Signal } from '../../engine/types.ts';
import type { Language, SetupSummary } from '../services.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatPercent, formatPrice, formatR, formatScore } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { localizeEngineText, translate, type MessageKey } from '../i18n/index.ts';
import { matchEngineText } from '../i18n/engine-translator.ts';
import { evidenceLine, regimeLine } from '../format/learning.ts';

export const CAPTION_LIMIT = 1024;

export interface CaptionInput {
  signal: Signal;
  language: Language;
  timeZone: string;
  stats?: SetupSummary['stats'];
  comment?: string;
}

/** Length as Telegram counts it: UTF-16 units of the text once tags are parsed away and entities decoded. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#\d+);/g, '_').length;
}

export function signalCaption(input: CaptionInput): string {
  for (const [reasons, comment] of [[2, 300], [2, 160], [1, 80], [1, 0], [0, 0]] as const) {
    const caption = buildCaption(input, reasons, comment);
    if (telegramLength(caption) <= CAPTION_LIMIT) return caption;
  }
  // Only a setup name of hundreds of characters gets here; the levels are still all there, and HTML is never cut in a tag.
  return truncateHtml(buildCaption({ ...input, signal: { ...input.signal, setupName: truncate(input.signal.setupName, 60) } }, 0, 0), CAPTION_LIMIT);
}

export function signalHeadline(signal: Signal, language: Language): string {
  const side = translate(language, signal.side === 'long' ? 'side.long' : 'side.short');
  const icon = signal.side === 'long' ? '🟢' : '🔴';
  return `${icon} <b>${side} ${escapeHtml(signal.symbol)}</b> ${signal.timeframe} · ${escapeHtml(signal.exchange)}`;
}

/** The engine's own history sentence duplicates the track-record line, so it is left out of the reasons shown. */
export function displayedReasons(signal: Signal, language: Language): { strengths: string[]; weaknesses: string[] } {
  const keep = (r: string) => !['eng.history', 'eng.noHistory'].includes(matchEngineText(r)?.entry.key ?? '');
  return {
    strengths: signal.reasons.strengths.filter(keep).map((r) => localizeEngineText(r, language)),
    weaknesses: signal.reasons.weaknesses.filter(keep).map((r) => localizeEngineText(r, language)),
  };
}

/** "0.10 %/side" from the cost model; a range when maker and taker fees differ. */
export function feeText(signal: Signal): string | undefined {
  const model = signal.costs?.model;
  if (!model) return undefined;
  const pct = (x: number) => (x * 100).toFixed(2).replace(/0$/, '');
  const low = Math.min(model.makerFee, model.takerFee);
  const high = Math.max(model.makerFee, model.takerFee);
  return low === high ? pct(high) : `${pct(low)}–${pct(high)}`;
}

export function stopDistancePct(signal: Signal): string {
  return `${((Math.abs(signal.entry - signal.stop) / signal.entry) * 100).toFixed(2)} %`;
}

function buildCaption({ signal, language, timeZone, stats, comment }: CaptionInput, maxReasons: number, maxComment: number): string {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(language, key, vars);
  const reasons = displayedReasons(signal, language);
  const net = signal.costs;
  const targets = signal.targets
    .map((target, i) => `${formatPrice(target.price)} (${formatR(net?.netTargetR[i] ?? target.r)})`)
    .join(' · ');
  const lines = [
    signalHeadline(signal, language),
    t('signal.setupLine', { setup: escapeHtml(signal.setupName), score: formatScore(signal.score), rank: signal.rank }),
  ];
  if (maxReasons > 0 && reasons.strengths.length) lines.push(t('signal.why', { reasons: escapeHtml(reasons.strengths.slice(0, maxReasons).map((r) => truncate(r, 70)).join('; ')) }));
  lines.push(
    t('signal.levels', {
      entry: formatPrice(signal.entry), type: t(signal.entryType === 'limit' ? 'signal.entryLimit' : 'signal.entryMarket'),
      stop: formatPrice(signal.stop), distance: stopDistancePct(signal),
    }),
    net
      ? t('signal.targetsNet', { targets, rr: net.netRR.toFixed(2) })
      : t('signal.targetsGross', { targets, rr: signal.rr.toFixed(2) }),
  );
  const fee = feeText(signal);
  if (net && fee) lines.push(t('signal.costs', { fee, slip: (net.model.slippage * 100).toFixed(2), stopCost: net.stopCostR.toFixed(2) }));
  lines.push(
    stats && stats.trades > 0
      ? t('signal.track', { trades: stats.trades, winRate: formatPercent(stats.winRate), expectancy: formatR(stats.expectancyR) })
      : t('signal.noTrack'),
  );
  for (const line of [regimeLine(signal, language), evidenceLine(signal, language)]) if (line) lines.push(line);
  if (maxReasons > 0 && reasons.weaknesses.length) lines.push(t('signal.against', { reasons: escapeHtml(reasons.weaknesses.slice(0, maxReasons).map((r) => truncate(r, 70)).join('; ')) }));
  lines.push(t('signal.validUntil', { time: `${formatDateTime(signal.validUntil, timeZone)} ${escapeHtml(timeZone)}` }));
  if (comment && maxComment > 0) lines.push(`<i>${escapeHtml(shorten(comment, maxComment))}</i>`);
  return lines.join('\n');
}

/** Cuts at a word boundary so a comment never ends mid-word ("Theor…"). */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.—-]+$/, '')}…`;
}

export function signalKeyboard(ref: string, language: Language): InlineKeyboard {
  return new InlineKeyboard()
    .text(translate(language, 'signal.approve'), `sg:a:${ref}`)
    .text(translate(language, 'signal.reject'), `sg:r:${ref}`)
    .row()
    .text(translate(language, 'signal.details'), `sg:d:${ref}`)
    .text(translate(language, 'signal.similar'), `sg:s:${ref}`);
}

export const REJECT_REASONS = ['late', 'trend', 'news', 'rr'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export function rejectReasonKeyboard(ref: string, language: Language): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  REJECT_REASONS.forEach((reason, i) => {
    keyboard.text(translate(language, `reason.${reason}`), `sg:rr:${ref}:${reason}`);
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.text(translate(language, 'reason.skip'), `sg:rr:${ref}:skip`);
}

/** After a decision only Details and Similar stay; the decision itself is shown on an inert button. */
export function decidedKeyboard(ref: string, language: Language, label: string): InlineKeyboard {
  return new InlineKeyboard()
    .text(label, `sg:n:${ref}`)
    .row()
    .text(translate(language, 'signal.details'), `sg:d:${ref}`)
    .text(translate(language, 'signal.similar'), `sg:s:${ref}`);
}
