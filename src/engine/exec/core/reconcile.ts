/**
 * Reconciliation: ITA's books against the venue's open orders and balances. Every mismatch is REPORTED as a
 * Difference for a human to judge; nothing is overwritten, because either side may be the one that is wrong
 * (a manual trade on the exchange, a crash between two writes here).
 */
import type { Difference } from '../broker.ts';
import type { Books } from '../store/books.ts';
import type { Venue } from './venue.ts';

export async function reconcileBooks(venue: Venue, books: Books): Promise<Difference[]> {
  const differences: Difference[] = [];
  const local = await books.listOrders({ statuses: ['pending', 'open'] });
  const remote = await venue.openOrders();
  const remoteById = new Map(remote.map((o) => [o.clientOrderId, o]));
  const localIds = new Set(local.map((o) => o.id));

  for (const order of local) {
    const seen = remoteById.get(order.id) ?? (await venue.fetch(order.symbol, order.id, order.type));
    if (!seen) {
      differences.push({ kind: 'order-missing-on-venue', subject: order.id, local: order,
        message: `order ${order.id} (${order.role} ${order.side} ${order.amount} ${order.symbol}) is ${order.status} here but the venue does not know it` });
      continue;
    }
    if (seen.status !== 'open' || Math.abs(seen.filled - order.filled) > 1e-12 || Math.abs(seen.amount - order.amount) > 1e-12) {
      differences.push({ kind: 'order-state', subject: order.id, local: order, venue: seen,
        message: `order ${order.id}: here ${order.status} with ${order.filled}/${order.amount} filled, on the venue ${seen.status} with ${seen.filled}/${seen.amount} filled` });
    }
  }
  for (const order of remote) {
    if (!localIds.has(order.clientOrderId)) {
      differences.push({ kind: 'order-unknown-locally', subject: order.clientOrderId, venue: order,
        message: `the venue has an open order ${order.clientOrderId} on ${order.symbol} (${order.amount}) that ITA did not place` });
    }
  }

  // Every open position must be protected by a stop the venue still has open (a stop cancelled by hand shows up
  // above as an order-state difference too); on spot its remaining amount must also be in the account.
  const perp = venue.account === 'perp';
  const needed = new Map<string, number>();
  for (const p of await books.listPositions(['open'])) {
    const rules = await venue.rules(p.symbol);
    if (!perp) needed.set(rules.base, (needed.get(rules.base) ?? 0) + p.remaining);
    const stops = (await books.listOrders({ positionId: p.id, statuses: ['pending', 'open'] })).filter((o) => o.role === 'stop');
    const resting = stops.some((o) => (remoteById.get(o.id)?.status ?? 'missing') === 'open');
    // Binance exempts reduce-only futures orders from the minimum notional: every perp remainder can be protected.
    const protectable = p.remaining >= (rules.minAmount ?? 0) && (perp || p.remaining * p.stop >= (rules.minNotional ?? 0));
    if (!resting && protectable) {
      differences.push({ kind: 'position-unprotected', subject: p.id, local: p,
        message: `position ${p.id} (${p.remaining} ${p.symbol}) has no stop open on the venue` });
    }
  }
  if (perp) return [...differences, ...(await reconcilePositions(venue, books))];
  const balances = await venue.balances();
  for (const [asset, amount] of needed) {
    const held = balances[asset]?.total ?? 0;
    if (held + 1e-9 < amount) {
      differences.push({ kind: 'balance-short', subject: asset, local: amount, venue: held,
        message: `open positions hold ${amount} ${asset} but the account has ${held} ${asset}` });
    }
  }
  return differences;
}

/**
 * Perp: there is no base balance to hold; the venue keeps one net position per symbol (one-way mode), which must
 * equal ITA's open positions on that symbol added up with their signs.
 */
async function reconcilePositions(venue: Venue, books: Books): Promise<Difference[]> {
  const differences: Difference[] = [];
  const local = new Map<string, number>();
  for (const p of await books.listPositions(['open'])) local.set(p.symbol, (local.get(p.symbol) ?? 0) + (p.side === 'short' ? -1 : 1) * p.remaining);
  const remote = new Map<string, number>();
  for (const p of (await venue.positions?.()) ?? []) remote.set(p.symbol, (remote.get(p.symbol) ?? 0) + (p.side === 'short' ? -1 : 1) * p.amount);
  for (const symbol of new Set([...local.keys(), ...remote.keys()])) {
    const here = local.get(symbol) ?? 0;
    const there = remote.get(symbol) ?? 0;
    if (Math.abs(here - there) > 1e-9) {
      differences.push({ kind: 'position-differs', subject: symbol, local: here, venue: there,
        message: `open positions on ${symbol} add up to ${signed(here)} here but the venue holds ${signed(there)}` });
    }
  }
  return differences;
}

function signed(x: number): string {
  return `${x > 0 ? '+' : ''}${Number(x.toFixed(10))}`;
}
