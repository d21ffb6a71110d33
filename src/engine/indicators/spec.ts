/**
 * Indicator spec strings, the one notation shared by the CLI (`--ind rsi:14,macd:12:26:9`) and setup files:
 * `name[:param...]`, lower case, colon-separated. Parsing validates everything up front and throws InputError
 * naming the spec and the allowed forms, so a typo never reaches a backtest.
 */
import { InputError } from '../errors.ts';

export type PriceField = 'open' | 'high' | 'low' | 'close' | 'volume';
export const PRICE_FIELDS: readonly PriceField[] = ['open', 'high', 'low', 'close', 'volume'];

export interface IndicatorSpec {
  /** Normalized text (trimmed, lower case); also the base of the output names. */
  text: string;
  name: string;
  /** Numeric parameters in spec order. */
  params: number[];
  /** vwap only: session anchor. */
  anchor?: 'day' | 'week';
  /** quantile and slope: the series they are taken of, a price field or a single-output indicator. */
  source?: PriceField | IndicatorSpec;
}

interface ParamRule {
  label: string;
  integer: boolean;
  min: number;
  max: number;
  /** Value used when the parameter is omitted; required when absent. */
  fallback?: number;
}

const period = (label = 'N', min = 1): ParamRule => ({ label, integer: true, min, max: 100_000 });

/** Numeric grammar of each indicator (vwap's anchor and the SOURCE of quantile / slope are handled below). */
const GRAMMAR: Record<string, ParamRule[]> = {
  sma: [period()],
  ema: [period()],
  wma: [period()],
  rsi: [period('N', 2)],
  tr: [],
  atr: [period()],
  adx: [period('N', 2)],
  macd: [period('FAST', 2), period('SLOW', 2), period('SIGNAL')],
  bb: [period('N', 2), { label: 'K', integer: false, min: 0, max: 100, fallback: 2 }],
  stoch: [period('K'), period('SLOWK'), period('SLOWD')],
  stochf: [period('K'), period('D')],
  donchian: [period()],
  hv: [period('N', 2), { label: 'PERIODS_PER_YEAR', integer: false, min: 1e-9, max: 1e9, fallback: 365 }],
  vz: [period('N', 2)],
  vwap: [],
  quantile: [period('WINDOW'), { label: 'Q', integer: false, min: 0, max: 1 }],
  slope: [period('N', 2)],
};

export const ALLOWED_FORMS = [
  'sma:N',
  'ema:N',
  'wma:N',
  'rsi:N',
  'tr',
  'atr:N',
  'adx:N',
  'macd:FAST:SLOW:SIGNAL',
  'bb:N[:K=2]',
  'stoch:K:SLOWK:SLOWD',
  'stochf:K:D',
  'donchian:N',
  'hv:N[:PERIODS_PER_YEAR=365]',
  'vz:N',
  'vwap[:day|week]',
  'quantile:WINDOW:Q[:SOURCE=close]',
  'slope:N[:SOURCE=close]',
];

/** Indicators that take a SOURCE series after this many numeric parameters (e.g. slope:20:ema:200). */
const SOURCE_AFTER: Record<string, number> = { quantile: 2, slope: 1 };

function fail(spec: string, reason: string): never {
  throw new InputError(
    `bad indicator spec "${spec}": ${reason}; allowed forms: ${ALLOWED_FORMS.join(', ')} ` +
      `(SOURCE: ${PRICE_FIELDS.join('|')} or a single-output spec such as atr:14)`,
    { field: 'indicator', value: spec },
  );
}

function parseNumber(spec: string, raw: string, rule: ParamRule): number {
  const pattern = rule.integer ? /^\d+$/ : /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/;
  const value = Number(raw);
  if (!pattern.test(raw) || !Number.isFinite(value)) {
    fail(spec, `${rule.label} must be ${rule.integer ? 'a whole number' : 'a number'}, got "${raw}"`);
  }
  if (value < rule.min || value > rule.max) fail(spec, `${rule.label} must be in ${rule.min}..${rule.max}, got ${raw}`);
  return value;
}

export function parseIndicatorSpec(input: string): IndicatorSpec {
  return parseSpec(String(input), String(input));
}

/** `input` is what the user wrote (quoted in errors); `raw` the part being parsed (a SOURCE is parsed nested). */
function parseSpec(input: string, raw: string): IndicatorSpec {
  const text = raw.trim().toLowerCase();
  const parts = text.split(':');
  const name = parts[0];
  const grammar = Object.hasOwn(GRAMMAR, name) ? GRAMMAR[name] : undefined;
  if (!grammar) fail(input, `unknown indicator "${name}"`);
  const args = parts.slice(1);

  if (name === 'vwap') {
    if (args.length > 1 || (args.length === 1 && args[0] !== 'day' && args[0] !== 'week')) {
      fail(input, 'vwap takes an optional anchor, day or week');
    }
    return { text, name, params: [], anchor: args[0] === 'week' ? 'week' : 'day' };
  }

  const sourceAfter = SOURCE_AFTER[name];
  const numeric = sourceAfter === undefined ? args : args.slice(0, sourceAfter);
  if (numeric.length > grammar.length) fail(input, `${name} takes at most ${grammar.length} parameter(s)`);
  const params = grammar.map((rule, i) => {
    if (i < numeric.length) return parseNumber(input, numeric[i], rule);
    if (rule.fallback === undefined) fail(input, `missing ${rule.label}`);
    return rule.fallback;
  });

  if (name === 'macd' && params[0] >= params[1]) fail(input, `FAST (${params[0]}) must be below SLOW (${params[1]})`);
  if (sourceAfter !== undefined) {
    return { text, name, params, source: parseSource(input, name, args.slice(sourceAfter).join(':')) };
  }
  return { text, name, params };
}

function parseSource(input: string, name: string, sourceText: string): PriceField | IndicatorSpec {
  if (sourceText === '') return 'close';
  if ((PRICE_FIELDS as readonly string[]).includes(sourceText)) return sourceText as PriceField;
  const source = parseSpec(input, sourceText);
  if (outputNames(source).length !== 1) fail(input, `${name} SOURCE must have one output, "${sourceText}" has several`);
  return source;
}

const MULTI_OUTPUTS: Record<string, string[]> = {
  macd: ['macd', 'signal', 'hist'],
  bb: ['upper', 'middle', 'lower'],
  stoch: ['k', 'd'],
  stochf: ['k', 'd'],
  adx: ['adx', 'pdi', 'mdi'],
  donchian: ['upper', 'middle', 'lower'],
};

/** Short output names of a multi-output indicator, or [] for a single-output one. */
export function shortOutputNames(spec: IndicatorSpec): string[] {
  return MULTI_OUTPUTS[spec.name] ?? [];
}

/** Full output names: the spec itself for single-output indicators, `<spec>.<output>` for the others. */
export function outputNames(spec: IndicatorSpec): string[] {
  const short = shortOutputNames(spec);
  return short.length === 0 ? [spec.text] : short.map((o) => `${spec.text}.${o}`);
}

/** Candle index of the first value of each output (same order as outputNames). */
export function outputWarmups(spec: IndicatorSpec): number[] {
  const [a, b, c] = spec.params;
  switch (spec.name) {
    case 'sma':
    case 'ema':
    case 'wma':
    case 'donchian':
    case 'vz':
      return spec.name === 'donchian' ? [a - 1, a - 1, a - 1] : [a - 1];
    case 'rsi':
    case 'atr':
    case 'hv':
      return [a];
    case 'tr':
      return [1];
    case 'adx':
      return [2 * a - 1, a, a];
    case 'macd':
      return [b + c - 2, b + c - 2, b + c - 2];
    case 'bb':
      return [a - 1, a - 1, a - 1];
    case 'stoch':
      return [a + b + c - 3, a + b + c - 3];
    case 'stochf':
      return [a + b - 2, a + b - 2];
    case 'vwap':
      return [0];
    case 'slope':
    case 'quantile': {
      const source = spec.source;
      const sourceWarmup = source === undefined || typeof source === 'string' ? 0 : outputWarmups(source)[0];
      return [sourceWarmup + a - 1];
    }
    default:
      return fail(spec.text, `unknown indicator "${spec.name}"`);
  }
}
