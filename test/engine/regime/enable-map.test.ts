import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSetup, loadSetupFile } from '../../../src/engine/setups/index.ts';
import { InputError } from '../../../src/engine/errors.ts';
import { regimeAllows, RegimeGatedDetector } from '../../../src/engine/regime/gate.ts';
import { detectSignalsWithRegimes } from '../../../src/engine/regime/detect.ts';
import { classifyRegimes } from '../../../src/engine/regime/classifier.ts';
import { detectSignals } from '../../../src/engine/signals/detect.ts';
import type { Candle, MarketKey, Signal } from '../../../src/engine/types.ts';
import { loadSampleCandles, ROOT } from '../../helpers/candles.ts';

const SMA = path.join(ROOT, 'setups/sma_cross.yaml');
const smaText = readFileSync(SMA, 'utf8');
const withRegimes = (line: string) => smaText.replace('timeframe: 1d', `timeframe: 1h\n${line}`);

describe('regime enable map in the setup YAML', () => {
  it('is optional: a setup without it keeps its version and trades in every regime', () => {
    const setup = loadSetupFile(SMA);
    expect(setup.regimes).toBeUndefined();
    // The version sma_cross had before the field existed: adding an optional field must not re-version setups.
    expect(setup.version).toBe('249fda8d6a74');
    expect(regimeAllows(setup, 'panic')).toEqual({ ok: true });
    expect(regimeAllows(setup, undefined)).toEqual({ ok: true });
  });

  it('accepts a list of regimes, and a changed list is a new version', () => {
    const a = parseSetup(withRegimes('regimes: [trend_up, trend_down]'), 'sma_cross.yaml');
    const b = parseSetup(withRegimes('regimes: [trend_up]'), 'sma_cross.yaml');
    expect(a.regimes).toEqual(['trend_up', 'trend_down']);
    expect(a.version).not.toBe(b.version);
  });

  it('refuses an unknown regime naming the line and field, and a duplicate', () => {
    try {
      parseSetup(withRegimes('regimes: [trend_up, sideways]'), 'sma_cross.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.details.field).toBe('regimes[1]');
      expect(e.details.line).toBe(10); // sma_cross.yaml has timeframe on line 9; regimes goes right after it
      expect(e.message).toMatch(/trend_up.*range_lowvol.*panic/s);
    }
    expect(() => parseSetup(withRegimes('regimes: [panic, panic]'), 'sma_cross.yaml')).toThrow(/listed twice/);
    expect(() => parseSetup(withRegimes('regimes: []'), 'sma_cross.yaml')).toThrow(InputError);
  });

  it('lets through only the listed regimes; unknown (warming up) is not a listed regime', () => {
    const setup = { id: 'x', regimes: ['trend_up' as const] };
    expect(regimeAllows(setup, 'trend_up').ok).toBe(true);
    const refused = regimeAllows(setup, 'range_lowvol');
    expect(refused).toEqual({ ok: false, reason: 'x trades only in trend_up; the market is in range_lowvol' });
    expect(regimeAllows(setup, undefined).ok).toBe(false);
  });
});

describe('regime gate around the detector', () => {
  const candles: Candle[] = loadSampleCandles('binance_BTCUSDT_1h').slice(0, 4000);
  const market: MarketKey = { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' };

  it('drops exactly the signals outside the enable map and stamps the regime of the signal candle on the rest', () => {
    const open = parseSetup(withRegimes(''), 'sma_cross.yaml');
    const trendOnly = parseSetup(withRegimes('regimes: [trend_up, trend_down]'), 'sma_cross.yaml');
    const plain = detectSignals(candles, { market, setups: [open] });
    const gated = detectSignalsWithRegimes(candles, { market, setups: [trendOnly] });
    const regimes = classifyRegimes(candles);
    const regimeAt = new Map(candles.map((c, i) => [c.ts, regimes[i].regime]));
    const expected = plain.filter((s) => ['trend_up', 'trend_down'].includes(regimeAt.get(s.ts) ?? ''));
    expect(plain.length).toBeGreaterThan(50);
    expect(expected.length).toBeGreaterThan(5);
    expect(gated.signals.map((s) => s.ts)).toEqual(expected.map((s) => s.ts));
    expect(gated.signals.every((s) => s.context.regime === regimeAt.get(s.ts))).toBe(true);
    expect(gated.dropped.length).toBe(plain.length - expected.length);
    expect(gated.dropped[0].reason).toMatch(/trades only in trend_up, trend_down/);
  });

  it('feeds the classifier before the detector, so a signal sees the regime as of its own close', () => {
    const seen: string[] = [];
    const inner = {
      update(candle: Candle): Signal[] {
        seen.push(String(gate.reading.barsInRegime));
        return [{ setupId: 'any', ts: candle.ts, context: {} } as unknown as Signal];
      },
    };
    const gate = new RegimeGatedDetector(inner, []);
    const out = candles.slice(0, 700).map((c) => gate.update(c)[0]);
    const readings = classifyRegimes(candles.slice(0, 700));
    expect(out.map((s) => s.context.regime)).toEqual(readings.map((r) => r.regime ?? 'unknown'));
    expect(seen).toEqual(readings.map((r) => String(r.barsInRegime)));
  });
});
