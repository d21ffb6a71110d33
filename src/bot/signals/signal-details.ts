/**
 * Details behind the signal card: every reason, each target with its share and its R gross and net of costs, what the
 * costs assume, and the context the detector saw, with labels and values rounded for reading (never raw floats).
 */
import type { Signal } from '../../engine/types.ts';
import type { Language } from '../services.ts';
import { escapeHtml, truncate } from '../format/html.ts';
import { formatPrice, formatR, formatScore, priceDecimals } from '../format/numbers.ts';
import { formatDateTime } from '../format/time.ts';
import { translate, type MessageKey } from '../i18n/index.ts';
import { displayedReasons, signalHeadline, stopDistancePct } from './signal-message.ts';

const MAX_REASONS = 12;
const LABELLED = new Set(['close', 'atr', 'structure', 'sessions', 'zoneTop', 'zoneBottom']);

/** 269.1715533557564 → "269.17", 41.2 → "41.2", 0.000123456 → "0.00012346". */
export function readableNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(priceDecimals(value))));
}

export function contextLines(context: Signal['context'], language: Language): string[] {
  const t = (key: MessageKey) => translate(language, key);
  return Object.entries(context).map(([key, value]) => {
    // The setup's own indicator aliases are the trader's words and stay as written.
    const label = LABELLED.has(key) ? t(`context.${key}` as MessageKey) : `<code>${escapeHtml(key)}</code>`;
    let shown: string;
    if (typeof value === 'number') shown = readableNumber(value);
    else if (value === 'bullish' || value === 'bearish') shown = t(`context.${value}`);
    else shown = escapeHtml(String(value));
    return `${label}: <b>${shown}</b>`;
  });
}

export function signalDetails(signal: Signal, language: Language, timeZone: string): string {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(language, key, vars);
  const net = signal.costs;
  const pct = (x: number) => (x * 100).toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
  const reasons = displayedReasons(signal, language);
  const lines = [
    `${t('details.title')} · ${signalHeadline(signal, language)}`,
    t('details.setup', { setup: escapeHtml(signal.setupName), version: escapeHtml(signal.setupVersion.slice(0, 8)), time: `${formatDateTime(signal.ts, timeZone)} ${escapeHtml(timeZone)}` }),
    t('signal.levels', {
      entry: formatPrice(signal.entry), type: t(signal.entryType === 'limit' ? 'signal.entryLimit' : 'signal.entryMarket'),
      stop: formatPrice(signal.stop), distance: stopDistancePct(signal),
    }),
    ...signal.targets.map((target, i) => {
      const vars = { n: i + 1, price: formatPrice(target.price), share: `${Math.round(target.closeFraction * 100)} %`, gross: formatR(target.r) };
      return net?.netTargetR[i] !== undefined ? t('details.target', { ...vars, net: formatR(net.netTargetR[i]) }) : t('details.targetGross', vars);
    }),
    net ? t('details.rr', { gross: signal.rr.toFixed(2), net: net.netRR.toFixed(2) }) : t('signal.targetsGross', { targets: '—', rr: signal.rr.toFixed(2) }),
    net
      ? t('details.costs', { maker: pct(net.model.makerFee), taker: pct(net.model.takerFee), slip: pct(net.model.slippage), stopCost: net.stopCostR.toFixed(2) })
      : t('details.noCosts'),
    `${t('signal.score')} <b>${formatScore(signal.score)}</b>/10 · #${signal.rank}`,
  ];
  if (reasons.strengths.length) lines.push('', t('details.strengths'), ...reasons.strengths.slice(0, MAX_REASONS).map((r) => `✓ ${escapeHtml(truncate(r, 160))}`));
  if (reasons.weaknesses.length) lines.push('', t('details.weaknesses'), ...reasons.weaknesses.slice(0, MAX_REASONS).map((r) => `✗ ${escapeHtml(truncate(r, 160))}`));
  const context = contextLines(signal.context, language);
  if (context.length) lines.push('', t('signal.context'), ...context.slice(0, 30));
  lines.push('', t('signal.validUntil', { time: `${formatDateTime(signal.validUntil, timeZone)} ${escapeHtml(timeZone)}` }), t('details.id', { id: escapeHtml(truncate(signal.id, 200)) }));
  return lines.join('\n');
}
