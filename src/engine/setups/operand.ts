/**
 * Parses operand strings of the setup DSL: `close`, `ema200`, `bb.upper`, `atr@1` (one bar ago), `htf.ema200`, `$adx_min`.
 * `@N` rather than `[N]` because brackets would end a YAML flow sequence like `[close, ema200@5]`.
 */

import { SESSIONS } from './schema.ts';

export const PRICE_SERIES = ['open', 'high', 'low', 'close', 'volume', 'hl2', 'hlc3', 'ohlc4'] as const;

/**
 * Levels maintained by the pattern engine, usable as operands: the last confirmed swing levels, the previous day's
 * and week's range, and each session's range (the running session's, including the current candle, or the last
 * finished one's: compare with `@1` to use the range before the current candle).
 */
export const LEVEL_SERIES: readonly string[] = [
  'swing_high',
  'swing_low',
  'prev_day_high',
  'prev_day_low',
  'prev_week_high',
  'prev_week_low',
  ...SESSIONS.flatMap((name) => [`${name}_high`, `${name}_low`]),
];

export const BUILT_IN_SERIES: readonly string[] = [...PRICE_SERIES, ...LEVEL_SERIES];

export type ParsedOperand =
  | { kind: 'number'; value: number }
  | { kind: 'param'; name: string }
  | { kind: 'series'; htf: boolean; name: string; output?: string; offset: number };

const SERIES_RE = /^(htf\.)?([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?(?:@(\d{1,3}))?$/;
const PARAM_RE = /^\$([a-z][a-z0-9_]*)$/;

const parsedCache = new Map<string, ParsedOperand | undefined>();

/** Parses an operand; results are cached because the detector evaluates the same few operands on every candle. */
export function parseOperand(operand: number | string): ParsedOperand | undefined {
  if (typeof operand === 'number') return { kind: 'number', value: operand };
  if (parsedCache.has(operand)) return parsedCache.get(operand);
  const parsed = parseOperandText(operand);
  parsedCache.set(operand, parsed);
  return parsed;
}

function parseOperandText(operand: string): ParsedOperand | undefined {
  const param = PARAM_RE.exec(operand);
  if (param) return { kind: 'param', name: param[1] };
  const series = SERIES_RE.exec(operand);
  if (!series) return undefined;
  return { kind: 'series', htf: Boolean(series[1]), name: series[2], output: series[3], offset: series[4] ? Number(series[4]) : 0 };
}

/** Replaces `$param` tokens in an indicator spec (`ema:$fast` → `ema:10`). */
export function substituteParams(spec: string, params: Record<string, number>): string {
  return spec.replace(/\$([a-z][a-z0-9_]*)/g, (token, name: string) => (name in params ? String(params[name]) : token));
}
