/**
 * Backtest = replay over the FULL shared data files (not a vitest test: it takes minutes). For every shipped setup,
 * every ../shared/data/binance_{BTC,ETH}USDT_<tf>[_YYYY-MM].csv of its timeframe, on the default spot account and on
 * a perp account with every score and cost (research): prints trades per setup/file and whether the two lists match.
 *   npx tsx test/engine/trading/parity-full.ts [../shared/data]
 * Exits 1 when any pair differs.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadSetupFile } from '../../../src/engine/setups/index.ts';
import { ROOT } from '../../helpers/candles.ts';
import { runBoth } from './parity-run.ts';

const dataDir = path.resolve(process.argv[2] ?? path.join(ROOT, '../shared/data'));
const files = readdirSync(dataDir).filter((f) => /^binance_(BTC|ETH)USDT_[0-9a-z]+(_\d{4}-\d{2})?\.csv$/.test(f));
let failed = 0;
for (const file of readdirSync(path.join(ROOT, 'setups')).filter((f) => f.endsWith('.yaml'))) {
  const setup = loadSetupFile(path.join(ROOT, 'setups', file));
  for (const csv of files.filter((f) => f.split('_')[2].replace('.csv', '') === setup.timeframe)) {
    const symbol = csv.includes('ETH') ? 'ETH/USDT' : 'BTC/USDT';
    for (const [label, extra] of [['spot', []], ['perp-research', ['--account', 'perp', '--min-score', '0', '--max-cost-r', '1000']]] as const) {
      const r = await runBoth(setup.id, path.join(dataDir, csv), ['--symbol', symbol, ...extra]);
      const same = JSON.stringify(r.backtest) === JSON.stringify(r.replay);
      if (!same) failed++;
      const shorts = r.backtest.filter((t) => t.side === 'short').length;
      process.stdout.write(`${setup.id.padEnd(16)} ${csv.padEnd(34)} ${label.padEnd(14)} backtest ${String(r.backtest.length).padStart(4)} (${shorts} short) replay ${String(r.replay.length).padStart(4)} ${same ? 'identical' : 'DIFFERENT'}\n`);
    }
  }
}
process.exit(failed > 0 ? 1 : 0);
