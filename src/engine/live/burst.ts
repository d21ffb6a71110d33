/**
 * How a burst of signals for one chat is announced: every signal listed in a digest, best first (score, then the
 * close's own rank), and the best `cards` of them also sent as their cards right after. A page lists at most PAGE_SIZE
 * signals so that its text and its buttons stay well inside one Telegram message (4,096 characters, a keyboard of a
 * few dozen buttons).
 */
import type { OutboxItem } from '../journal/outbox.ts';
import type { Signal } from '../types.ts';

export const PAGE_SIZE = 20;

export interface BurstPage {
  /** Signals this message announces (their outbox items are marked sent with it), best first. */
  listed: Signal[];
  /** Signals whose cards follow the digest (on the first page only, so that it can say so). */
  cards: Signal[];
  /** All signals of the burst, and where this page's first one stands among them (1-based). */
  total: number;
  from: number;
}

export interface BurstPlan {
  /** Each page with the outbox items it announces. */
  pages: Array<{ page: BurstPage; items: OutboxItem[] }>;
  /** Signals whose cards follow the digest, best first. */
  cards: Signal[];
}

function bestFirst(a: Signal, b: Signal): number {
  return b.score - a.score || a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function planBurst(burst: readonly OutboxItem[], cardCount: number): BurstPlan {
  const ranked = [...burst].sort((a, b) => bestFirst(a.signal, b.signal));
  const cards = ranked.slice(0, Math.max(0, cardCount)).map((item) => item.signal);
  const pages: BurstPlan['pages'] = [];
  for (let from = 0; from < ranked.length; from += PAGE_SIZE) {
    const items = ranked.slice(from, from + PAGE_SIZE);
    pages.push({ page: { listed: items.map((i) => i.signal), cards: from === 0 ? cards : [], total: ranked.length, from: from + 1 }, items });
  }
  return { pages, cards };
}
