/**
 * `ita backtest` over a canonical file takes the columnar lane (no Candle per row); the same candles under a header
 * only the full parser accepts ("timestamp,...") take the Candle lane. Both must print the same report, JSON
 * included, with and without --from, for an indicator setup and a pattern setup (which reads the engine's state).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/candles.ts';
import { readCandleColumns } from '../../src/engine/market/csv/read-columns.ts';

const ENTRY = path.join(ROOT, 'bin/ita.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ita-backtest-columns-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ita(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [ENTRY, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const sample = path.join(ROOT, 'data/samples/binance_BTCUSDT_15m.csv');
const canonical = path.join(tmp, 'canonical.csv');
const other = path.join(tmp, 'timestamp-header.csv');
const text = readFileSync(sample, 'utf8');
writeFileSync(canonical, text);
writeFileSync(other, text.replace(/^ts,/, 'timestamp,'));

describe('ita backtest: columnar lane = Candle lane', () => {
  it('the canonical copy is read as columns and the other is not', () => {
    expect(readCandleColumns(canonical)?.length).toBeGreaterThan(30_000);
    expect(readCandleColumns(other)).toBeNull();
  });

  for (const [setup, extra] of [
    ['vol_exp', []],
    ['sweep_choch', ['--from', '2025-01-01']],
    ['london_breakout', ['--account', 'perp', '--json']],
  ] as const) {
    it(`${setup} ${extra.join(' ')}: same output`, () => {
      const a = ita(['backtest', '--setup', setup, '--csv', canonical, ...extra]);
      const b = ita(['backtest', '--setup', setup, '--csv', other, ...extra]);
      expect(a.stderr).not.toMatch(/^ita:/m);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      expect(a.stdout).toMatch(/Trades|"trades"/);
      expect(a.stdout).toBe(b.stdout);
    }, 120_000);
  }
});
