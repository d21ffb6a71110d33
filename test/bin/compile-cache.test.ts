/**
 * The `ita` command's compile cache (bin/compile-cache.js, bin/build-cache.js): the key follows every source file, so
 * an edited, added or removed file never runs an old bundle; and the bundle runs exactly as the sources through tsx,
 * paths resolved from the modules themselves (governance.yaml, setups, the optimizer's worker threads) included.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/candles.ts';
import { bundleEntry, sourceKey } from '../../bin/compile-cache.js';
import { buildBundle } from '../../bin/build-cache.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ita-compile-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('compile cache key', () => {
  const root = path.join(tmp, 'project');
  mkdirSync(path.join(root, 'src', 'engine'), { recursive: true });
  mkdirSync(path.join(root, 'bin'));
  writeFileSync(path.join(root, 'src', 'cli.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'src', 'engine', 'x.ts'), 'export const x = 1;\n');
  writeFileSync(path.join(root, 'bin', 'ita.js'), '// entry\n');
  writeFileSync(path.join(root, 'tsconfig.json'), '{}');
  const key = (): string => sourceKey(root);

  it('is the same for the same files, and changes with any edit, addition or removal', () => {
    const first = key();
    expect(key()).toBe(first);
    const file = path.join(root, 'src', 'engine', 'x.ts');
    writeFileSync(file, 'export const x = 22;\n');
    const edited = key();
    expect(edited).not.toBe(first);
    // Same size, another modification time (an edit that keeps the length).
    const { mtime } = statSync(file);
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
    const touched = key();
    expect(touched).not.toBe(edited);
    const added = path.join(root, 'src', 'engine', 'y.ts');
    writeFileSync(added, '');
    expect(key()).not.toBe(touched);
    rmSync(added);
    expect(key()).toBe(touched);
    writeFileSync(path.join(root, 'package-lock.json'), '{}');
    expect(key()).not.toBe(touched);
    writeFileSync(path.join(root, 'bin', 'ita.js'), '// another entry\n');
    expect(key()).not.toBe(touched);
  });
});

describe('the bundle', () => {
  const run = (entry: string[], args: string[]) => {
    const r = spawnSync(process.execPath, [...entry, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('runs ita exactly as the sources through tsx: a governed backtest and a grid optimization on worker threads', { timeout: 120_000 }, async () => {
    const key = sourceKey();
    await buildBundle(key);
    const bundled = bundleEntry(key);
    expect(existsSync(bundled)).toBe(true);
    const viaTsx = ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts')];
    const backtest = ['backtest', '--setup', 'ema_cross', '--csv', 'data/samples/binance_BTCUSDT_1h.csv', '--json'];
    const a = run([bundled], backtest);
    const b = run(viaTsx, backtest);
    expect(a.stderr).not.toMatch(/^ita:/m);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).report.trades.length).toBeGreaterThan(50);
    expect(a.stdout).toBe(b.stdout);

    const setup = path.join(tmp, 'sma_cross.yaml');
    writeFileSync(
      setup,
      (await import('node:fs')).readFileSync(path.join(ROOT, 'setups/sma_cross.yaml'), 'utf8')
        .replace(/fast: \{[^}]*\}/, 'fast: { value: 10, min: 5, max: 15, step: 5 }')
        .replace(/slow: \{[^}]*\}/, 'slow: { value: 30, min: 20, max: 30, step: 10 }'),
    );
    const grid = ['backtest', '--setup', setup, '--csv', 'data/samples/nasdaq_GOOG_1d.csv', '--exchange', 'nasdaq', '--symbol', 'GOOG', '--no-governor', '--min-score', '0', '--optimize', 'grid', '--train-split', '0.6', '--workers', '2'];
    const c = run([bundled], grid);
    const d = run(viaTsx, grid);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/best/i);
    expect(c.stdout).toBe(d.stdout);
  });
});
