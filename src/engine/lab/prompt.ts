/**
 * The prompt that asks an agent for setups in the strict JSON form. It spells out the DSL the validator enforces
 * (the same as setups/README.md), so a valid answer needs no guessing; the re-ask quotes the validator's words.
 */
import { CANDLE_PATTERNS, PATTERN_EVENTS, SESSIONS } from '../setups/schema.ts';

export interface LabBrief {
  n: number;
  markets: string[];
  timeframes: string[];
  /** Trader's ideas or theory passages to start from (optional). */
  ideas?: string;
}

const EXAMPLE = {
  proposals: [
    {
      why: 'Trend continuation: crossovers in the direction of the 200-EMA slope.',
      setup: {
        id: 'ema_trend_cross',
        name: 'EMA 9/21 cross with the 200 trend',
        description: 'Long when EMA 9 crosses above EMA 21 above a rising EMA 200; short on the mirror image.',
        rationale: 'Crossovers against the long trend whipsaw; with it they catch continuations.',
        timeframe: '1h',
        params: { fast: { value: 9, min: 5, max: 20, step: 1 }, atr_stop: { value: 1.5, min: 1, max: 3, step: 0.5 } },
        indicators: { ema_fast: 'ema:$fast', ema_slow: 'ema:21', ema200: 'ema:200', atr: 'atr:14' },
        rules: {
          long: { all: [{ crosses_above: ['ema_fast', 'ema_slow'] }, { gt: ['close', 'ema200'] }, { gt: ['ema200', 'ema200@5'] }] },
          short: { all: [{ crosses_below: ['ema_fast', 'ema_slow'] }, { lt: ['close', 'ema200'] }, { lt: ['ema200', 'ema200@5'] }] },
        },
        stop: { type: 'atr', mult: '$atr_stop' },
        targets: [{ r: 1, close: 0.5 }, { r: 2.5, close: 0.5 }],
      },
    },
  ],
};

export function labPrompt(brief: LabBrief): string {
  return [
    `Propose ${brief.n} distinct trading setup(s) for ${brief.markets.join(', ')} on ${brief.timeframes.join(' or ')} candles.`,
    brief.ideas ? `Start from these ideas:\n${brief.ideas}` : '',
    'Answer with ONLY one JSON object, no prose, no code fences, of this shape:',
    JSON.stringify(EXAMPLE),
    'Rules of the setup object (anything else is refused):',
    '- id: lower_snake_case; name, description, rationale: non-empty text; timeframe: one of 1m 5m 15m 30m 1h 2h 4h 6h 12h 1d 1w.',
    '- params: { name: { value, min?, max?, step? } } (ranges are optimized); reference them as "$name".',
    '- indicators: { alias: "spec" } with specs like ema:21, sma:50, rsi:14, atr:14, adx:14, bb:20:2 (outputs bb.upper, bb.mid, bb.lower), macd:12:26:9, vz:20.',
    '- operands: numbers, "$param", built-in series open high low close volume, an indicator alias, "alias@N" (N bars ago).',
    '- conditions: {all:[…]}, {any:[…]}, {not:…}, {gt|gte|lt|lte|crosses_above|crosses_below:[a,b]}, {between:[x,lo,hi]},',
    `  {pattern: ${PATTERN_EVENTS.join('|')}, direction?: bull|bear, within?: bars}, {in_zone: fvg|ob}, {candle: ${CANDLE_PATTERNS.join('|')}},`,
    `  {session: [${SESSIONS.join('|')}]}, {structure: bull|bear}.`,
    '- rules: { long?: condition, short?: condition } (at least one).',
    '- stop: {type: atr, mult} | {type: swing, buffer_atr?} | {type: zone_edge, zone: fvg|ob} | {type: percent, pct}.',
    '- targets: [{ r, close }] with close fractions adding up to at most 1; entry (optional): {type: market} | {type: limit, zone: fvg|ob}.',
  ]
    .filter(Boolean)
    .join('\n');
}

export function reaskPrompt(errors: string[]): string {
  return [
    'Some proposals could not be used:',
    ...errors.map((e) => `- ${e}`),
    'Reply again with ONLY the JSON object {"proposals":[…]} containing corrected versions of those proposals.',
  ].join('\n');
}

/** Sequential mode: the second model reviews the first one's valid proposals and answers in the same strict form. */
export function critiquePrompt(votes: { setup: { id: string }; why?: string }[]): string {
  const proposals = votes.map((v) => {
    const { version: _v, source: _s, enabled: _e, ...setup } = v.setup as Record<string, unknown>;
    return { setup, why: v.why };
  });
  return [
    'Another analyst proposed these setups:',
    JSON.stringify({ proposals }),
    'Review each one as a risk manager: is the edge plausible, is the stop where the idea is proven wrong, are the targets reachable?',
    'Fix what is weak (you may keep a setup unchanged or drop it) and answer with ONLY the JSON object {"proposals":[…]} of the same shape.',
  ].join('\n');
}
