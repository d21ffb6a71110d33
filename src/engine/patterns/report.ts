/**
 * Rows for humans (CLI, bot): one shape for causal events and reference-mode signals, so `ita patterns` prints
 * both the same way. Times are ISO strings; "confirmedAt" is when the row became known (reference rows that
 * look ahead say so through `note`).
 */
import type { Candle, Timeframe } from '../types.ts';
import { PatternEngine, type PatternEngineOverrides } from './engine.ts';
import type { PatternEvent, PatternKind } from './causal/events.ts';
import * as ref from './reference/index.ts';

export const PATTERN_GROUPS = {
  fvg: ['fvg', 'fvg-mitigated'],
  swings: ['swing-high', 'swing-low'],
  bos: ['bos', 'choch'],
  ob: ['order-block', 'order-block-mitigated'],
  liquidity: ['liquidity-pool', 'liquidity-sweep'],
  sessions: ['session-start', 'session-end'],
  prevhl: ['previous-range', 'previous-high-broken', 'previous-low-broken'],
  candles: ['candle-pattern'],
} as const satisfies Record<string, readonly PatternKind[]>;

export type PatternGroup = keyof typeof PATTERN_GROUPS;

export interface PatternRow {
  ts: string;
  kind: string;
  direction?: string;
  level?: number;
  bottom?: number;
  top?: number;
  label?: string;
  count?: number;
  confirmedAt?: string;
  note?: string;
}

const iso = (ts: number) => new Date(ts).toISOString();

/** The library stores some columns as float32; print them as its CSVs do (shortest decimal that rounds back). */
function float32Decimal(x: number): number {
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(x.toPrecision(digits));
    if (Math.fround(candidate) === Math.fround(x)) return candidate;
  }
  return x;
}

export function eventToRow(e: PatternEvent): PatternRow {
  const row: PatternRow = { ts: iso(e.ts), kind: e.kind };
  if (e.direction) row.direction = e.direction;
  if (e.level !== undefined) row.level = e.level;
  if (e.bottom !== undefined) row.bottom = e.bottom;
  if (e.top !== undefined) row.top = e.top;
  if (e.label) row.label = e.label;
  if (e.count !== undefined) row.count = e.count;
  row.confirmedAt = iso(e.confirmedTs);
  return row;
}

export function causalRows(candles: readonly Candle[], group: PatternGroup, options: PatternEngineOverrides): PatternRow[] {
  const engine = new PatternEngine(options);
  const kinds: readonly string[] = PATTERN_GROUPS[group];
  const rows: PatternRow[] = [];
  for (const candle of candles) for (const e of engine.update(candle)) if (kinds.includes(e.kind)) rows.push(eventToRow(e));
  return rows;
}

export interface ReferenceOptions {
  swingLength: number;
  joinConsecutive: boolean;
  period: Timeframe;
  session: string;
}

const REFERENCE_BIN: Partial<Record<Timeframe, ref.ReferenceBin>> = { '4h': '4h', '1d': '1D', '1w': 'W' };

/** Reference-mode signals; undefined when the group has no reference (candle patterns) or the period is unsupported. */
export function referenceRows(candles: readonly Candle[], group: PatternGroup, o: ReferenceOptions): PatternRow[] | undefined {
  const s = ref.toSeries(candles);
  const at = (i: number) => iso(s.ts[i]);
  const dir = (v: number) => (v > 0 ? 'bullish' : 'bearish');
  const rows: PatternRow[] = [];
  const swings = () => ref.referenceSwings(s, o.swingLength);
  const f = float32Decimal;
  switch (group) {
    case 'fvg': {
      const r = ref.referenceFvg(s, o.joinConsecutive);
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(r.fvg[i])) continue;
        const mitigated = r.mitigatedIndex[i] > 0 ? `mitigated ${at(r.mitigatedIndex[i])}` : 'unmitigated';
        rows.push({ ts: at(i), kind: 'fvg', direction: dir(r.fvg[i]), bottom: r.bottom[i], top: r.top[i], confirmedAt: at(i + 1), note: mitigated });
      }
      return rows;
    }
    case 'swings': {
      const r = swings();
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(r.highLow[i])) continue;
        const confirmed = Math.min(i + o.swingLength, s.length - 1);
        rows.push({ ts: at(i), kind: r.highLow[i] > 0 ? 'swing-high' : 'swing-low', level: r.level[i], confirmedAt: at(confirmed) });
      }
      return rows;
    }
    case 'bos': {
      const r = ref.referenceBosChoch(s, swings());
      for (let i = 0; i < s.length; i++) {
        const signal = Number.isNaN(r.bos[i]) ? r.choch[i] : r.bos[i];
        if (Number.isNaN(signal)) continue;
        const kind = Number.isNaN(r.bos[i]) ? 'choch' : 'bos';
        rows.push({ ts: at(i), kind, direction: dir(signal), level: f(r.level[i]), note: `broken ${at(r.brokenIndex[i])}` });
      }
      return rows;
    }
    case 'ob': {
      const r = ref.referenceOrderBlocks(s, swings());
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(r.ob[i])) continue;
        const note = r.mitigatedIndex[i] > 0 ? `mitigated ${at(r.mitigatedIndex[i])}` : 'unmitigated';
        rows.push({ ts: at(i), kind: 'order-block', direction: dir(r.ob[i]), bottom: f(r.bottom[i]), top: f(r.top[i]), note });
      }
      return rows;
    }
    case 'liquidity': {
      const r = ref.referenceLiquidity(s, swings());
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(r.liquidity[i])) continue;
        const note = `end ${at(r.end[i])}, ${r.swept[i] > 0 ? `swept ${at(r.swept[i])}` : 'not swept'}`;
        rows.push({ ts: at(i), kind: 'liquidity-pool', direction: dir(r.liquidity[i]), level: f(r.level[i]), note });
      }
      return rows;
    }
    case 'sessions': {
      const hours = ref.REFERENCE_SESSIONS[o.session];
      if (!hours) return undefined;
      const r = ref.referenceSessions(s, hours.start, hours.end);
      for (let i = 0; i < s.length; i++) {
        if (r.active[i] && (i === 0 || !r.active[i - 1])) rows.push({ ts: at(i), kind: 'session-start', label: o.session, confirmedAt: at(i) });
        if (r.active[i] && (i === s.length - 1 || !r.active[i + 1])) {
          rows.push({ ts: at(i), kind: 'session-end', label: o.session, bottom: f(r.low[i]), top: f(r.high[i]), confirmedAt: at(i) });
        }
      }
      return rows;
    }
    case 'prevhl': {
      const bin = REFERENCE_BIN[o.period];
      if (!bin) return undefined;
      const r = ref.referencePreviousHighLow(s, bin);
      for (let i = 0; i < s.length; i++) {
        if (Number.isNaN(r.previousHigh[i])) continue;
        if (i === 0 || r.previousHigh[i] !== r.previousHigh[i - 1] || r.previousLow[i] !== r.previousLow[i - 1]) {
          rows.push({ ts: at(i), kind: 'previous-range', bottom: f(r.previousLow[i]), top: f(r.previousHigh[i]), label: bin, confirmedAt: at(i) });
        }
        if (r.brokenHigh[i] && !(i > 0 && r.brokenHigh[i - 1] && r.previousHigh[i] === r.previousHigh[i - 1])) {
          rows.push({ ts: at(i), kind: 'previous-high-broken', direction: 'bullish', level: f(r.previousHigh[i]), label: bin, confirmedAt: at(i) });
        }
        if (r.brokenLow[i] && !(i > 0 && r.brokenLow[i - 1] && r.previousLow[i] === r.previousLow[i - 1])) {
          rows.push({ ts: at(i), kind: 'previous-low-broken', direction: 'bearish', level: f(r.previousLow[i]), label: bin, confirmedAt: at(i) });
        }
      }
      return rows;
    }
    case 'candles':
      return undefined;
  }
}

export function formatRow(row: PatternRow): string {
  const zone = row.bottom !== undefined && row.top !== undefined ? `[${row.bottom} .. ${row.top}]` : '';
  return [
    row.ts,
    row.kind.padEnd(21),
    (row.direction ?? '').padEnd(7),
    row.level !== undefined ? `level ${row.level}` : '',
    zone,
    row.label ?? '',
    row.count !== undefined ? `x${row.count}` : '',
    row.confirmedAt ? `confirmed ${row.confirmedAt}` : '',
    row.note ?? '',
  ]
    .filter((part) => part !== '')
    .join('  ');
}
