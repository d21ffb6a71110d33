/**
 * The signal as the trader sees it: photo caption (HTML, ≤ 1024 characters) and its buttons. Reasons and the comment
 * are shortened first when the caption is too long, because entry, stop and targets must always be there.
 */
import { telegramLength, truncateHtml } from '../render/telegram-text.ts';
import { InlineKeyboard } from 'grammy';
import type { Signal } from '../../engine/types.ts';
import type { Language, SetupSummary } from '../services.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatPercent, formatPrice, formatR, formatScore } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { translate } from '../i18n/index.ts';

export const CAPTION_LIMIT = 1024;

export interface CaptionInput {
  signal: Signal;
  language: Language;
  timeZone: string;
  stats?: SetupSummary['stats'];
  comment?: string;
}

export function signalCaption(input: CaptionInput): string {
  for (const [reasons, comment] of [[6, 400], [3, 200], [2, 80], [1, 0], [0, 0]] as const) {
    const caption = buildCaption(input, reasons, comment);
    if (telegramLength(caption) <= CAPTION_LIMIT) return caption;
  }
  return truncateHtml(buildCaption(input, 0, 0), CAPTION_LIMIT);
}

export function signalHeadline(signal: Signal, language: Language): string {
  const side = translate(language, signal.side === 'long' ? 'side.long' : 'side.short');
  const icon = signal.side === 'long' ? '🟢' : '🔴';
  return `${icon} <b>${side} ${escapeHtml(signal.symbol)}</b> ${signal.timeframe} · ${escapeHtml(signal.exchange)}`;
}

function buildCaption({ signal, language, timeZone, stats, comment }: CaptionInput, maxReasons: number, maxComment: number): string {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(language, key, vars);
  const lines = [
    signalHeadline(signal, language),
    `${escapeHtml(signal.setupName)} <code>${escapeHtml(signal.setupVersion.slice(0, 8))}</code>`,
    '',
    `${t('signal.entry')}: <b>${formatPrice(signal.entry)}</b> (${signal.entryType})`,
    `${t('signal.stop')}: ${formatPrice(signal.stop)}`,
    ...signal.targets.map((target, i) => `${t('signal.target')} ${i + 1}: ${formatPrice(target.price)} (${formatR(target.r)}, ${Math.round(target.closeFraction * 100)}%)`),
    `R:R ${signal.rr.toFixed(2)} · ${t('signal.score')} <b>${formatScore(signal.score)}</b>/10 · #${signal.rank}`,
  ];
  const strengths = signal.reasons.strengths.slice(0, maxReasons).map((r) => `✓ ${escapeHtml(truncate(r, 90))}`);
  const weaknesses = signal.reasons.weaknesses.slice(0, maxReasons).map((r) => `✗ ${escapeHtml(truncate(r, 90))}`);
  if (strengths.length + weaknesses.length) lines.push(...strengths, ...weaknesses);
  if (stats && stats.trades > 0) {
    lines.push(t('signal.history', { winRate: formatPercent(stats.winRate), expectancy: formatR(stats.expectancyR), trades: stats.trades }));
  }
  lines.push(t('signal.validUntil', { time: `${formatDateTime(signal.validUntil, timeZone)} ${escapeHtml(timeZone)}` }));
  if (comment && maxComment > 0) lines.push('', `<i>${escapeHtml(truncate(comment, maxComment))}</i>`);
  return lines.join('\n');
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
