/**
 * Stored markets as toggle buttons whose state travels in the callback data as a bitmask (base 36): no server-side
 * state for a half-made choice, and a press minutes or a restart later still means the same thing as long as the
 * list of stored markets is the same (a mask naming a market past the list's end is refused).
 */
import { InlineKeyboard } from 'grammy';
import type { MarketKey } from '../../engine/types.ts';

/** Buttons shown at most (a 40-bit mask stays well under the 64-byte callback_data limit). */
export const MAX_MARKET_BUTTONS = 40;

export const marketMask = (mask: bigint) => mask.toString(36);

export function parseMask(text: string, count: number): bigint | undefined {
  let mask = 0n;
  for (const ch of text) {
    const digit = parseInt(ch, 36);
    if (Number.isNaN(digit)) return undefined;
    mask = mask * 36n + BigInt(digit);
  }
  return mask >> BigInt(Math.min(count, MAX_MARKET_BUTTONS)) === 0n ? mask : undefined;
}

export function selectedMarkets(markets: MarketKey[], mask: bigint): MarketKey[] {
  return markets.slice(0, MAX_MARKET_BUTTONS).filter((_, i) => (mask >> BigInt(i)) & 1n);
}

export function marketToggles(markets: MarketKey[], mask: bigint, data: (next: bigint) => string, perRow = 2): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  markets.slice(0, MAX_MARKET_BUTTONS).forEach((m, i) => {
    const bit = 1n << BigInt(i);
    const on = (mask & bit) !== 0n;
    keyboard.text(`${on ? '✅' : '▫️'} ${m.symbol} ${m.timeframe}`, data(mask ^ bit));
    if (i % perRow === perRow - 1) keyboard.row();
  });
  return keyboard;
}
