/**
 * What the spot and the perpetual paper venues share: the wallet rows (paper_balances), the last prices, the share of
 * a candle a resting order may fill, and the 1e-10 rounding that keeps balances comparable as written.
 */
import type { Kysely } from 'kysely';
import type { Candle } from '../../types.ts';
import type { Balances } from '../broker.ts';
import type { ExecDatabase } from '../store/schema.ts';

/** Drops binary noise beyond 1e-10 so balances compare as written. */
export function clean(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

/** Non-zero wallet rows of a paper account. */
export async function paperBalances(db: Kysely<ExecDatabase>, account: string): Promise<Balances> {
  const rows = await db.selectFrom('paper_balances').selectAll().where('account', '=', account).orderBy('asset').execute();
  const out: Balances = {};
  for (const r of rows) if (r.free !== 0 || r.used !== 0) out[r.asset] = { free: r.free, used: r.used, total: clean(r.free + r.used) };
  return out;
}

/** The candle's close as the account's last price of the symbol (what market orders fill against). */
export async function recordLastPrice(db: Kysely<ExecDatabase>, account: string, symbol: string, candle: Candle): Promise<void> {
  await db.insertInto('paper_prices').values({ account, symbol, price: candle.close, ts: candle.ts })
    .onConflict((oc) => oc.columns(['account', 'symbol']).doUpdateSet({ price: candle.close, ts: candle.ts })).execute();
}

/**
 * How much of a resting order this candle fills: all that is left, or (with a volume cap, not for stops, which fill as
 * market orders) at most `maxVolumeShare` of the candle's volume, rounded down to the lot step.
 */
export function restingQuantity(
  left: number, candle: Candle, options: { isStop: boolean; maxVolumeShare?: number; amountStep?: number },
): number {
  const cap = !options.isStop && options.maxVolumeShare !== undefined && candle.volume > 0 ? options.maxVolumeShare * candle.volume : Infinity;
  let qty = clean(Math.min(left, cap));
  const step = options.amountStep;
  if (step && qty < left) qty = clean(Math.floor(qty / step + 1e-9) * step);
  return qty;
}
