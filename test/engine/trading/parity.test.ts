/**
 * The one trading path: for every shipped setup on the bundled files of its timeframe, `ita backtest --json` and
 * `ita replay --auto-approve --json` list identical closed trades (side, entry time and price, exit time and price).
 * Both the default account (spot: long only, governor on, configured minimum score) and a perp account with every
 * score and any cost (longs and shorts) are covered. The full shared files: test/engine/trading/parity-full.ts.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES, ROOT } from '../../helpers/candles.ts';
import { runBoth } from './parity-run.ts';

const SETUPS = readdirSync(path.join(ROOT, 'setups')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
/** The smaller bundled files per timeframe (BTC and ETH where both are bundled). */
const FILES: Record<string, string[]> = {
  '15m': ['binance_BTCUSDT_15m_2023-04', 'binance_ETHUSDT_15m_2023-04'],
  '1h': ['binance_BTCUSDT_1h_2023-04', 'binance_ETHUSDT_1h_2023-04'],
  '4h': ['binance_BTCUSDT_4h_2024-07'],
  '1d': ['binance_BTCUSDT_1d_2024-07', 'binance_ETHUSDT_1d_2024-07'],
};

async function timeframeOf(setup: string): Promise<string> {
  const { loadSetupFile } = await import('../../../src/engine/setups/index.ts');
  return loadSetupFile(path.join(ROOT, 'setups', `${setup}.yaml`)).timeframe;
}

const sidesSeen = new Set<string>();

describe('backtest = replay, trade for trade', () => {
  it('covers every shipped setup', () => {
    expect(SETUPS.length).toBeGreaterThanOrEqual(8);
  });

  for (const setup of SETUPS) {
    it(`${setup}: identical closed trades on spot (defaults) and perp (every score and cost, both sides)`, { timeout: 60_000 }, async () => {
      const tf = await timeframeOf(setup);
      const files = FILES[tf];
      expect(files, `no bundled file for ${tf}`).toBeDefined();
      let sides = new Set<string>();
      let trades = 0;
      for (const name of files) {
        const csv = path.join(SAMPLES, `${name}.csv`);
        const symbol = name.includes('ETH') ? 'ETH/USDT' : 'BTC/USDT';
        for (const common of [['--symbol', symbol], ['--symbol', symbol, '--account', 'perp', '--min-score', '0', '--max-cost-r', '1000']]) {
          const r = await runBoth(setup, csv, common);
          expect(r.replay, `${setup} ${name} ${common.join(' ')}`).toEqual(r.backtest);
          trades += r.backtest.length;
          for (const t of r.backtest) {
            sides = new Set([...sides, t.side]);
            sidesSeen.add(t.side);
          }
          if (common.includes('perp')) continue;
          // The spot account never reports a short.
          expect(r.backtest.filter((t) => t.side === 'short')).toEqual([]);
        }
      }
      expect(trades, `${setup} took no trade on ${files.join(', ')}`).toBeGreaterThan(0);
      expect(sides.size).toBeGreaterThan(0);
    });
  }

  it('compared longs and shorts', () => {
    expect([...sidesSeen].sort()).toEqual(['long', 'short']);
  });
});
