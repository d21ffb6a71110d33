/**
 * Answers the setup DSL's pattern questions (events within N bars, zones, candle patterns, sessions, structure,
 * levels) from PatternEngine events and state. Names in the DSL are snake_case; the engine's are its own.
 */
import type { PatternEvent, PatternKind, PatternState } from '../patterns/index.ts';
import type { Direction } from '../setups/evaluate.ts';

const ENGINE_DIRECTION = { bull: 'bullish', bear: 'bearish' } as const;

/** DSL session name → the pattern engine's built-in session name. */
export const SESSION_NAMES: Record<string, string> = {
  asia: 'Asia',
  london: 'London',
  new_york: 'New York',
  asia_kill_zone: 'Asian kill zone',
  london_kill_zone: 'London open kill zone',
  new_york_kill_zone: 'New York open kill zone',
  london_close_kill_zone: 'London close kill zone',
};

/** The engine event kind each DSL pattern is (the label and direction checks are eventMatches'). */
const ENGINE_KIND: ReadonlyMap<string, PatternKind> = new Map<string, PatternKind>([
  ['fvg', 'fvg'],
  ['ob', 'order-block'],
  ['bos', 'bos'],
  ['choch', 'choch'],
  ['swing_high', 'swing-high'],
  ['swing_low', 'swing-low'],
  ['sweep_high', 'liquidity-sweep'],
  ['sweep_low', 'liquidity-sweep'],
  ['prev_day_high_break', 'previous-high-broken'],
  ['prev_day_low_break', 'previous-low-broken'],
  ['prev_week_high_break', 'previous-high-broken'],
  ['prev_week_low_break', 'previous-low-broken'],
]);

/** The only engine event kind that can match the DSL's pattern `kind` (undefined: none can). */
export function engineKindOf(kind: string): PatternKind | undefined {
  return ENGINE_KIND.get(kind);
}

/** Does an engine event count as the DSL's pattern `kind` in `direction`? */
export function eventMatches(event: PatternEvent, kind: string, direction: Direction | undefined): boolean {
  if (event.kind !== ENGINE_KIND.get(kind)) return false;
  const wanted = direction ? ENGINE_DIRECTION[direction] : undefined;
  const dirOk = !wanted || wanted === event.direction;
  switch (kind) {
    case 'fvg':
    case 'ob':
    case 'bos':
    case 'choch':
      return dirOk;
    case 'swing_high':
    case 'swing_low':
      return true;
    // A pool of equal highs is the engine's "bullish" pool; a sweep takes it and closes back inside.
    case 'sweep_high':
      return event.direction === 'bullish' && event.label === 'sweep';
    case 'sweep_low':
      return event.direction === 'bearish' && event.label === 'sweep';
    case 'prev_day_high_break':
    case 'prev_day_low_break':
      return event.label === '1d';
    case 'prev_week_high_break':
    case 'prev_week_low_break':
      return event.label === '1w';
    default:
      return false;
  }
}

export function describeEvent(event: PatternEvent): string {
  const dir = event.direction ? `${event.direction} ` : '';
  const names: Partial<Record<PatternEvent['kind'], string>> = {
    fvg: 'fair value gap',
    'order-block': 'order block',
    bos: 'break of structure',
    choch: 'change of character',
    'swing-high': 'swing high',
    'swing-low': 'swing low',
    'liquidity-sweep': event.direction === 'bullish' ? 'sweep of equal highs' : 'sweep of equal lows',
    'previous-high-broken': `break of the previous ${event.label} high`,
    'previous-low-broken': `break of the previous ${event.label} low`,
  };
  const name = names[event.kind] ?? event.kind;
  return event.kind === 'liquidity-sweep' || event.kind.startsWith('previous') ? name : `${dir}${name}`;
}

/**
 * The zone a setup trades into, from the zones the candle touches (newest first, see zonesTouching). They come from
 * the state BEFORE this candle: the candle that retraces into a gap is often the one that mitigates it, and that
 * first touch is exactly the entry the trader wants.
 */
export function firstZone(
  touched: readonly PatternEvent[],
  direction: Direction | undefined,
  /** Zones formed before this candle index are too old to trade (and beyond any warm-up's reach). */
  minIndex = -Infinity,
): PatternEvent | undefined {
  const wanted = direction ? ENGINE_DIRECTION[direction] : undefined;
  for (let i = 0; i < touched.length; i++) {
    const zone = touched[i];
    if (zone.index < minIndex) continue;
    if (wanted && zone.direction !== wanted) continue;
    return zone;
  }
  return undefined;
}

/** What the per-candle questions read: a snapshot, or the engine itself right after its update (the same values). */
export type PatternReadout = Pick<PatternState, 'lastSwingHigh' | 'lastSwingLow' | 'trend' | 'sessions' | 'previousRanges' | 'candlePatterns'>;

export function candlePatternMatches(state: Pick<PatternState, 'candlePatterns'>, kind: string, direction: Direction | undefined): boolean {
  const label = kind.replace(/_/g, '-');
  const wanted = direction ? ENGINE_DIRECTION[direction] : undefined;
  // Doji and inside bar have no direction of their own: they match either side.
  return state.candlePatterns.some((p) => p.label === label && (!p.direction || !wanted || p.direction === wanted));
}

export function inSession(state: Pick<PatternState, 'sessions'>, names: string[]): boolean {
  // Loops, and the engine's session list read once: a session rule asks this on every candle, for both sides.
  const sessions = state.sessions;
  for (let n = 0; n < names.length; n++) {
    const engineName = SESSION_NAMES[names[n]];
    for (let i = 0; i < sessions.length; i++) if (sessions[i].active && sessions[i].name === engineName) return true;
  }
  return false;
}

/** Reads one level series (swing_high, prev_day_low, london_high, ...) from the engine state; NaN when not known yet. */
export type LevelReader = (state: PatternReadout) => number;

/** Compiles a level name into a reader once, so the per-candle path does no string work. */
export function levelReader(name: string): LevelReader {
  if (name === 'swing_high') return (state) => state.lastSwingHigh?.level ?? NaN;
  if (name === 'swing_low') return (state) => state.lastSwingLow?.level ?? NaN;
  const previous = /^prev_(day|week)_(high|low)$/.exec(name);
  if (previous) {
    const timeframe = previous[1] === 'day' ? '1d' : '1w';
    const side = previous[2] as 'high' | 'low';
    return (state) => {
      const range = state.previousRanges.find((r) => r.timeframe === timeframe);
      return range ? range[side] : NaN;
    };
  }
  const session = /^(.*)_(high|low)$/.exec(name);
  if (session && SESSION_NAMES[session[1]]) {
    const engineName = SESSION_NAMES[session[1]];
    const side = session[2] as 'high' | 'low';
    return (state) => {
      const sessions = state.sessions;
      for (let i = 0; i < sessions.length; i++) if (sessions[i].name === engineName) return sessions[i].startTs > 0 ? sessions[i][side] : NaN;
      return NaN;
    };
  }
  return () => NaN;
}

/**
 * Liquidity a target can aim at: pools of equal highs above (for longs), equal lows below, and the previous day/week
 * extremes (so a liquidity target reads the liquidity AND the previous high/low families).
 */
export function liquidityLevels(state: PatternState, where: 'above' | 'below', price: number): number[] {
  const levels: number[] = [];
  for (const pool of state.liquidityPools) {
    if (where === 'above' && pool.direction === 'bullish' && pool.level > price) levels.push(pool.level);
    if (where === 'below' && pool.direction === 'bearish' && pool.level < price) levels.push(pool.level);
  }
  for (const range of state.previousRanges) {
    if (where === 'above' && range.high > price) levels.push(range.high);
    if (where === 'below' && range.low < price) levels.push(range.low);
  }
  return levels;
}
