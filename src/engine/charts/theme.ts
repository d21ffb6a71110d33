/**
 * Colours and font sizes shared by the charts. Sizes are chosen for a phone: a 1280x720 PNG is shown about
 * 3x smaller in Telegram, so anything under ~16 px becomes unreadable.
 */

export const FONT_FAMILY = 'ITA DejaVu Sans';
export const FONT_REGULAR_PATH = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const FONT_BOLD_PATH = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface FontSizes { title: number; subtitle: number; label: number; tick: number; legend: number }

export const FONT_SIZE: FontSizes = {
  title: 26,
  subtitle: 19,
  label: 17,
  tick: 16,
  legend: 16,
};

/**
 * The signal card is read on a phone: an 800 px wide PNG shown about 390 px wide, so every size here is at least
 * 23 px, i.e. 11 px or more on the screen (the smallest text a trader can read at arm's length).
 */
export const PHONE_FONT_SIZE: FontSizes = {
  title: 32,
  subtitle: 25,
  label: 24,
  tick: 23,
  legend: 23,
};

/** Width at which a chat bubble shows a photo on a typical phone (iPhone 12–15: 390 CSS px). */
export const PHONE_VIEW_WIDTH = 390;

export const COLORS = {
  background: '#ffffff',
  text: '#1f2329',
  mutedText: '#5f6b7a',
  grid: '#eceff3',
  axis: '#b0b8c4',
  candleUp: '#16a085',
  candleDown: '#e74c3c',
  candleFlat: '#7f8c8d',
  entry: '#1565c0',
  stop: '#d50000',
  target: '#1b8a3a',
  arrowLong: '#00a152',
  arrowShort: '#d50000',
  session: 'rgba(255, 179, 0, 0.12)',
  sessionText: '#a66b00',
  levelSwing: '#6d4c41',
  levelLiquidity: '#8e24aa',
  levelOther: '#455a64',
  equity: '#1565c0',
  benchmark: '#90a4ae',
  drawdownFill: 'rgba(213, 0, 0, 0.25)',
  drawdownLine: '#d50000',
} as const;

/** Default palette for indicator lines when the caller gives no colour (distinct from candle and signal colours). */
export const LINE_PALETTE = ['#ff8f00', '#7b1fa2', '#0097a7', '#5d4037', '#c2185b', '#512da8'] as const;

/** Zone tints: bullish zones green-ish, bearish red-ish; order blocks bluer/oranger so they differ from FVGs. */
export function zoneColors(kind: string, direction: 'bullish' | 'bearish'): { fill: string; border: string; text: string } {
  const bullish = direction === 'bullish';
  if (kind === 'ob') {
    return bullish
      ? { fill: 'rgba(30, 136, 229, 0.16)', border: 'rgba(30, 136, 229, 0.55)', text: '#0d47a1' }
      : { fill: 'rgba(245, 124, 0, 0.16)', border: 'rgba(245, 124, 0, 0.6)', text: '#b34700' };
  }
  return bullish
    ? { fill: 'rgba(22, 160, 133, 0.18)', border: 'rgba(22, 160, 133, 0.55)', text: '#0b6b58' }
    : { fill: 'rgba(231, 76, 60, 0.16)', border: 'rgba(231, 76, 60, 0.55)', text: '#a93226' };
}

export function levelColor(kind: string): string {
  if (kind.startsWith('swing')) return COLORS.levelSwing;
  if (kind.startsWith('liquidity') || kind === 'equal-highs' || kind === 'equal-lows') return COLORS.levelLiquidity;
  return COLORS.levelOther;
}

export function font(size: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${size}px "${FONT_FAMILY}"`;
}
