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
    const { code, stdout } = ita(['detect', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--setup', 'sma_cross', '--symbol', 'GOOG', '--exchange', 'nasdaq', '--json']);
    expect(code).toBe(0);
    const signals = JSON.parse(stdout) as { setupId: string; side: string; ts: number }[];
    // backtesting.py's SmaCross makes 66 trades on this file: one per crossover.
    expect(signals).toHaveLength(66);
    expect(new Set(signals.map((s) => s.setupId))).toEqual(new Set(['sma_cross']));
  });

  it('names an unknown setup and where it looked', () => {
    const { code, stderr } = ita(['detect', '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--setup', 'nope']);
    expect(code).toBe(1);
    expect(stderr).toContain('no setup "nope" (looked for setups/nope.yaml)');
  });
});
