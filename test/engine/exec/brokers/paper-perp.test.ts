/**
 * The perpetual paper broker under the broker contract: the long contract every broker passes, then the futures
 * part (shorts, reduce-only protection, leverage, margin).
 */
import { brokerContract } from './contract.ts';
import { PERP_LEVERAGE, PERP_LEVERAGE_CAP, perpBrokerContract, type PerpHarness } from './contract-perp.ts';
import { PAPER_COSTS, RULES, START_USDT, SYMBOL, paperHarnessOf } from './harness.ts';
import { createPerpPaperBroker } from '../../../../src/engine/exec/paper/index.ts';

async function perpPaperHarness(): Promise<PerpHarness> {
  let db: Parameters<typeof createPerpPaperBroker>[0]['db'] | undefined;
  const harness = await paperHarnessOf(async (opened) => {
    db = opened;
    return createPerpPaperBroker({
      db: opened, costs: PAPER_COSTS, initialBalances: { USDT: START_USDT }, markets: { [SYMBOL]: RULES },
      leverage: PERP_LEVERAGE, leverageCap: PERP_LEVERAGE_CAP,
    });
  }, 'paper_perp_orders');
  return Object.assign(harness, {
    async reduceOnlyIds() {
      const rows = await db!.selectFrom('paper_perp_orders').select('client_order_id').where('reduce_only', '=', 1).where('status', '=', 'open').execute();
      return rows.map((r: { client_order_id: string }) => r.client_order_id);
    },
    async leverage() {
      return (await db!.selectFrom('paper_perp_positions').select('leverage').where('symbol', '=', SYMBOL).executeTakeFirst())?.leverage;
    },
  });
}

brokerContract('perp paper', perpPaperHarness);
perpBrokerContract('perp paper', perpPaperHarness);
