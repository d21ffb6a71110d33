import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/candles.ts';

function ita(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [path.join(ROOT, 'bin/ita.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ita command line', () => {
  it('lists its commands in --help', () => {
    const { code, stdout } = ita(['--help']);
    expect(code).toBe(0);
    for (const command of ['start', 'import', 'candles', 'indicators', 'bench']) expect(stdout).toContain(command);
  });

  it('every command answers --help', () => {
    const { stdout } = ita(['--help']);
    const commands = [...stdout.matchAll(/^ {2}([a-z-]+)(?: \[options\]| <[^>]+>)*/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) {
      const result = ita([command, '--help']);
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(/^Usage: ita /);
    }
    // One process per command (~2 s each on a loaded 2-core machine).
  }, 120_000);

  it('an unknown command fails with a hint', () => {
    const { code, stderr } = ita(['frobnicate']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command/);
  });
});

describe('ita detect', () => {
  it('prints the signals of a setup over a sample file as JSON', () => {
    const args = ['detect', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--setup', 'sma_cross', '--symbol', 'GOOG', '--exchange', 'nasdaq', '--json'];
    const { code, stdout } = ita([...args, '--account', 'perp']);
    expect(code).toBe(0);
    const signals = JSON.parse(stdout) as { setupId: string; side: string; ts: number }[];
    // backtesting.py's SmaCross makes 66 trades on this file: one per crossover (a 3-ATR daily stop is never fee-dominated).
    expect(signals).toHaveLength(66);
    expect(new Set(signals.map((s) => s.setupId))).toEqual(new Set(['sma_cross']));
    // A spot account (the default) takes the 33 longs only; --all lists the shorts too, refused by the side rule.
    const spot = JSON.parse(ita(args).stdout) as { side: string }[];
    expect(spot.map((s) => s.side)).toEqual(signals.filter((s) => s.side === 'long').map((s) => s.side));
    const all = JSON.parse(ita([...args, '--all']).stdout) as { side: string; pushed: boolean; rule?: string; reason?: string }[];
    expect(all).toHaveLength(66);
    for (const s of all) expect([s.pushed, s.rule], s.side).toEqual(s.side === 'long' ? [true, undefined] : [false, 'side']);
  });

  it('lists exactly what would be pushed: no signal whose stopped-out fees exceed --max-cost-r', () => {
    const base = ['detect', '--csv', 'data/samples/binance_BTCUSDT_15m.csv', '--setup', 'all', '--min-score', '7', '--account', 'perp', '--to', '2024-08-10'];
    const all = JSON.parse(ita([...base, '--json', '--all', '--fee', '0.2']).stdout) as { pushed: boolean; rule?: string; score: number; entry: number; stop: number; costs: { stopCostR: number } }[];
    expect(all.some((s) => s.rule === 'cost')).toBe(true);
    for (const s of all) {
      // At 0.2 % per side a stopped trade pays (entry + stop) × 0.002 on a risk of |entry − stop|.
      const cost = ((s.entry + s.stop) * 0.002) / Math.abs(s.entry - s.stop);
      expect(s.costs.stopCostR).toBeCloseTo(cost, 9);
      expect(s.pushed).toBe(s.score >= 7 && cost <= 0.25);
    }
    const pushed = JSON.parse(ita([...base, '--json', '--fee', '0.2']).stdout) as unknown[];
    expect(pushed).toHaveLength(all.filter((s) => s.pushed).length);
  });

  it('names a bad --account and its allowed values', () => {
    const { code, stderr } = ita(['detect', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--setup', 'sma_cross', '--account', 'margin']);
    expect(code).toBe(1);
    expect(stderr).toContain('--account must be spot or perp, got "margin"');
  });

  it('names an unknown setup and where it looked', () => {
    const { code, stderr } = ita(['detect', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--setup', 'nope']);
    expect(code).toBe(1);
    expect(stderr).toContain('no setup "nope" (looked for setups/nope.yaml)');
  });
});
