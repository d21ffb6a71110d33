/** `ita replay` keeps its journal under the data directory (ITA_DATA_DIR), not under the project root. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, samplePath } from '../helpers/candles.ts';

describe('ita replay without --db', () => {
  it('writes replay.sqlite into ITA_DATA_DIR', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ita-replay-dir-'));
    try {
      const before = existsSync(path.join(ROOT, 'data/replay.sqlite'));
      const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/ita.js'), 'replay', '--csv', samplePath('binance_BTCUSDT_1h_2024-07'), '--setup', 'ema_cross', '--auto-approve', '--to', '2024-08-01'], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, ITA_DATA_DIR: dir },
      });
      expect(out).toContain(`journal in ${path.join(dir, 'replay.sqlite')}`);
      expect(existsSync(path.join(dir, 'replay.sqlite'))).toBe(true);
      expect(existsSync(path.join(ROOT, 'data/replay.sqlite'))).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
