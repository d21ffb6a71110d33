/**
 * Every sentence the engine can say today is recognised by the bot's catalog (src/bot/i18n/engine-texts.ts) and comes
 * out in Russian. The sentences are read from the engine's own sources (template literals and long string literals),
 * so a new or reworded engine text fails here until the catalog has it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_TEXTS } from '../../../src/bot/i18n/engine-texts.ts';
import { localizeEngineText, matchEngineText } from '../../../src/bot/i18n/engine-translator.ts';
import { refusedOutcome, acceptedOutcome } from '../../../src/engine/exec/executor/outcome.ts';
import { scoreSignal } from '../../../src/engine/signals/scoring.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ruleFiles = readdirSync(path.join(ROOT, 'src/engine/risk/rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => `src/engine/risk/rules/${f}`);
/** The engine files whose sentences reach the trader (refusals, verdicts, controls, /risk, reports, reasons, status). */
const SOURCES = [
  'src/engine/exec/executor/outcome.ts',
  'src/engine/exec/core/close-reasons.ts',
  'src/engine/exec/executor/approve.ts',
  'src/engine/exec/executor/decide.ts',
  'src/engine/trading/decision.ts',
  'src/engine/signals/policy.ts',
  'src/engine/exec/executor/controls.ts',
  'src/engine/exec/executor/queries.ts',
  'src/engine/exec/reports/period-report.ts',
  'src/engine/risk/governor.ts',
  'src/engine/risk/metrics.ts',
  'src/engine/risk/state.ts',
  'src/engine/signals/scoring.ts',
  'src/engine/services/watchlist.ts',
  'src/engine/services/status.ts',
  'src/engine/services/signals.ts',
  'src/engine/services/setup-edits.ts',
  'src/engine/backtest/grades.ts',
  'src/engine/lab/service.ts',
  'src/engine/learning/labels/parse.ts',
  'src/engine/learning/labels/service.ts',
  ...ruleFiles,
];
/** Literals in those files that never reach the chat (log lines, ids, error texts for programmers). */
const NOT_FOR_THE_TRADER = [/^the venue refused the protective stop$/, /^theory draft /, /^Equity · /, /^Trades /, /^Realized /, /^R /, /^  realized|^  open /];

/** Template literals (with `${…}` replaced, each conditional fragment expanded both ways) and sentence-like strings. */
function sentences(source: string): string[] {
  const out: string[] = [];
  let i = 0;
  const readTemplate = (): string[] => {
    // at the opening backtick
    i++;
    let variants = [''];
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        variants = variants.map((v) => v + source[i + 1]);
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        let depth = 1;
        const nested: string[][] = [];
        const start = i;
        while (depth > 0) {
          if (source[i] === '`') {
            nested.push(readTemplate());
            continue;
          }
          if (source[i] === "'" && / \? /.test(source.slice(start, source.indexOf('}', i))) && /[?:] $/.test(source.slice(i - 2, i))) {
            const end = source.indexOf("'", i + 1);
            nested.push([source.slice(i + 1, end)]);
            i = end + 1;
            continue;
          }
          if (source[i] === '{') depth++;
          if (source[i] === '}') depth--;
          i++;
        }
        const options = nested.length ? ['', ...nested.flat()] : ['X'];
        variants = variants.flatMap((v) => options.map((o) => v + o));
      } else {
        variants = variants.map((v) => v + source[i]);
        i++;
      }
    }
    i++;
    return variants;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i);
    else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i) + 2;
    else if (c === '`') {
      let variants = readTemplate();
      // `a` + `b` across lines is one sentence.
      for (let m = /^\s*\+\s*`/.exec(source.slice(i)); m; m = /^\s*\+\s*`/.exec(source.slice(i))) {
        i += m[0].length - 1;
        const next = readTemplate();
        variants = variants.flatMap((v) => next.map((n) => v + n));
      }
      out.push(...variants);
    }
    else if (c === "'" || c === '"') {
      const end = source.indexOf(c, i + 1);
      const text = source.slice(i + 1, end);
      if (text.split(' ').length >= 4) out.push(text.replace(/\\'/g, "'"));
      i = end + 1;
    } else i++;
    if (i < 0) break;
  }
  return out.filter((s) => /[a-z]{3,}/i.test(s) && s.includes(' ') && !s.includes('\n') && !NOT_FOR_THE_TRADER.some((p) => p.test(s)));
}

/** The catalog with every placeholder relaxed to "any text", since the sources hold X where values go. */
function recognises(sentence: string): boolean {
  const escape = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // X in the sentence and {…} in a template both stand for "any value", so either side may be the pattern.
  const asPattern = new RegExp(`^${sentence.split('X').map(escape).join('.*?')}$`, 's');
  return ENGINE_TEXTS.some((e) => {
    const parts = e.en.split(/\{\w+(?::\w+|\*)?\}/);
    return new RegExp(`^${parts.map(escape).join('.*?')}$`, 's').test(sentence) || asPattern.test(parts.join('X'));
  });
}

describe('engine texts at the bot boundary', () => {
  const found = SOURCES.flatMap((file) => sentences(readFileSync(path.join(ROOT, file), 'utf8')).map((s) => ({ file, s })));

  it('finds the engine sentences in its sources (the scanner works)', () => {
    expect(found.length).toBeGreaterThan(60);
    expect(found.map((f) => f.s)).toContain('paused: no new entries; open positions keep their stops and their management');
  });

  it('recognises every template the engine can produce today', () => {
    const missing = found.filter(({ s }) => !recognises(s) && !fragmentOfRecognised(s)).map(({ file, s }) => `${file}: ${s}`);
    expect(missing).toEqual([]);
  });

  it('translates real engine output into Russian, with the values kept', () => {
    const signal = { id: 's', setupId: 'ema_cross', setupVersion: 'v', symbol: 'BTC/USDT', timeframe: '1h', side: 'long', ts: 0, entryType: 'market', entry: 60000, stop: 59000, targets: [], context: {}, validUntil: 0 } as const;
    const refused = refusedOutcome(signal as never, 'daily-loss', "daily loss limit: today's PnL −3.20 % ≤ −3 %; no new entries until 2025-07-11 00:00 UTC");
    const ru = localizeEngineText(refused, 'ru');
    expect(ru).toBe('Не выставлено: BTC/USDT лонг (ema_cross) — daily-loss: дневной лимит убытка: результат дня −3.20 % ≤ −3 %; новых входов не будет до 2025-07-11 00:00 UTC');
    const placed = acceptedOutcome(
      signal as never,
      { status: 'accepted', size: { units: 0.1, notional: 6000, riskPct: 1, riskQuote: 100 }, adjustments: [{ rule: 'open-risk', reason: 'size reduced to 0.1 units: total open risk: 2.00 % open + this trade ≤ 3.00 %, so this trade risks at most 100' }] } as never,
      'paper',
      { filled: 0, entryPrice: 0, stop: 59000, takeProfits: [{ amount: 0.05, price: 61000 }] } as never,
    );
    expect(localizeEngineText(placed, 'ru')).toBe(
      'Выставлено (бумажный): BTC/USDT лонг 0.1 ед. (номинал 6000), стоп 59000, риск 1.00 % (100.00); ордер на вход выставлен; тейк-профиты 0.05 @ 61000. ' +
        'Примечания: объём уменьшен до 0.1 ед.: общий открытый риск: 2.00 % открыто + эта сделка ≤ 3.00 %, поэтому эта сделка рискует не больше 100',
    );
    const reasons = scoreSignal([], { trades: 12, winRate: 0.5, expectancyR: 0.3 });
    expect(reasons.strengths.map((r) => localizeEngineText(r, 'ru'))).toEqual(['история: 12 сделок, доля прибыльных 50%, ожидание +0.30R']);
    expect(localizeEngineText(scoreSignal([]).weaknesses[0], 'ru')).toBe('у этой версии сетапа ещё нет истории сделок');
  });

  it('passes English through and keeps unknown sentences rather than dropping them', () => {
    expect(localizeEngineText('resumed: new entries allowed again', 'en')).toBe('resumed: new entries allowed again');
    expect(localizeEngineText('something new the engine says', 'ru')).toBe('something new the engine says');
    expect(localizeEngineText('resumed: new entries allowed again; something new', 'ru')).toBe('возобновлено: новые входы снова разрешены; something new');
  });

  it('has a Russian twin with the same placeholders for every template, and real Russian in it', () => {
    const names = (t: string) => [...t.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    const keys = new Set<string>();
    for (const e of ENGINE_TEXTS) {
      expect(keys.has(e.key), e.key).toBe(false);
      keys.add(e.key);
      expect(names(e.ru), e.key).toEqual(names(e.en));
      expect(/[а-яё]/i.test(e.ru) || /^\s*\{\w+\*?\}\s*$/.test(e.en.replace(/ \(ρ \{rho:num\}\)/, '')), `${e.key}: ${e.ru}`).toBe(true);
      expect(matchEngineText(e.en.replace(/\{\w+:num\}/g, '1.5').replace(/\{\w+:side\}/g, 'long').replace(/\{\w+:mode\}/g, 'paper').replace(/\{\w+(?::\w+|\*)?\}/g, 'x y'))).toBeTruthy();
    }
  });
});

/** A conditional fragment of a larger sentence (" by X", ", open X"): the whole sentence is checked instead. */
function fragmentOfRecognised(s: string): boolean {
  return /^[ ,;.(]/.test(s) || s.split(' ').length <= 2;
}
