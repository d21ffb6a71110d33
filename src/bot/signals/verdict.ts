/**
 * The full answer to Approve as its own message: what was placed (size, notional, risk % and amount), what reduced
 * the size, and which orders now rest at the exchange; or which rule refused and why. The executor reports this as one
 * English sentence (src/engine/exec/executor/outcome.ts); its parts are read back through the engine-text catalog, so
 * the message is laid out and translated without the executor knowing about Telegram. A resting entry order gets a
 * Cancel button (the execution feature's own confirmation, "ex:c:<position ref>").
 */
import { InlineKeyboard } from 'grammy';
import type { Signal } from '../../engine/types.ts';
import type { Language } from '../services.ts';
import { escapeHtml } from '../format/html.ts';
import { localizeEngineText, translate } from '../i18n/index.ts';
import { matchEngineText } from '../i18n/engine-translator.ts';
import { positionRef } from '../execution/refs.ts';
import { signalHeadline } from './signal-message.ts';

export interface VerdictView {
  /** Short words for the toast and the inert button. */
  label: string;
  html: string;
  keyboard?: InlineKeyboard;
  placed: boolean;
}

interface Fill {
  how: string;
  tps?: string;
  notes?: string;
}

function readFill(text: string): Fill {
  const m = matchEngineText(text);
  if (!m) return { how: text };
  const { key } = m.entry;
  if (key === 'eng.fill.tpNotes' || key === 'eng.fill.notes' || key === 'eng.fill.tp') return { how: m.values.how, tps: m.values.tps, notes: m.values.notes };
  return { how: text };
}

export function verdictView(signal: Signal, outcome: string, language: Language): VerdictView {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(language, key, vars);
  const e = (text: string) => escapeHtml(localizeEngineText(text, language));
  const head = signalHeadline(signal, language);
  const match = matchEngineText(outcome);
  if (match?.entry.key === 'eng.placed') {
    const v = match.values;
    const fill = readFill(v.fill);
    const pending = matchEngineText(fill.how)?.entry.key === 'eng.fill.pending';
    const orders = [
      pending
        ? t('verdict.entryPending', { type: t(signal.entryType === 'limit' ? 'signal.entryLimit' : 'signal.entryMarket'), price: escapeHtml(String(signal.entry)) })
        : e(fill.how),
      t('verdict.stopOrder', { stop: escapeHtml(v.stop) }),
      ...(fill.tps ? [t('verdict.takeProfits', { list: escapeHtml(fill.tps) })] : []),
    ];
    const lines = [
      t('verdict.placedTitle', { mode: t(v.mode === 'live' ? 'verdict.live' : 'verdict.paper') }),
      head,
      t('verdict.size', { units: escapeHtml(v.units), notional: escapeHtml(v.notional) }),
      t('verdict.risk', { pct: escapeHtml(v.riskPct), amount: escapeHtml(v.riskQuote) }),
      fill.notes ? t('verdict.reduced', { notes: e(fill.notes) }) : t('verdict.notReduced'),
      t('verdict.orders'),
      ...orders.map((o) => `• ${o}`),
    ];
    const keyboard = pending ? new InlineKeyboard().text(t('verdict.cancelOrder'), `ex:c:${positionRef(signal.id)}`) : undefined;
    return { label: t('verdict.placedLabel'), html: lines.join('\n'), keyboard, placed: true };
  }
  if (match?.entry.key === 'eng.refused') {
    const lines = [t('verdict.refusedTitle'), head, t('verdict.rule', { rule: escapeHtml(match.values.rule) }), e(match.values.reason)];
    return { label: t('verdict.refusedLabel'), html: lines.join('\n'), placed: false };
  }
  return { label: t('verdict.recordedLabel'), html: [t('verdict.recordedTitle'), head, e(outcome)].join('\n'), placed: false };
}
