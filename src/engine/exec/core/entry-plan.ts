/**
 * Turns an approved EntryIntent into what can be sent: amounts rounded DOWN to the lot step (never more than the
 * risk governor sized), prices on the tick grid, and a refusal with the market's rule named when the order cannot
 * exist on this market (below the minimum amount or notional) or on this account (a short on spot). Pure, so every
 * rule is testable without a venue.
 */
import { ExchangeRejectedError, InputError } from '../../errors.ts';
import type { AccountType } from '../../types.ts';
import type { EntryIntent, TakeProfitLeg } from '../broker.ts';
import { floorToStep, roundToTick, type MarketRules } from './venue.ts';

export interface EntryPlan {
  amount: number;
  /** Limit price (limit entries only). */
  price?: number;
  stop: number;
  takeProfits: TakeProfitLeg[];
}

export function planEntry(intent: EntryIntent, rules: MarketRules, marketPrice: number | undefined, account: AccountType = 'spot'): EntryPlan {
    const field = (name: string, value: unknown, why: string) => new InputError(`entry ${intent.id}: ${why}`, { field: name, value });
    if (intent.side !== 'long' && intent.side !== 'short') throw field('side', intent.side, `side must be long or short, got "${intent.side}"`);
    if (intent.side === 'short' && account !== 'perp') {
      throw field('side', intent.side, 'side "short" refused: a spot account can only buy then sell (long); shorts need a perp (USDT-M futures) account');
    }
    const dir = intent.side === 'long' ? 1 : -1;
    if (intent.type !== 'market' && intent.type !== 'limit') throw field('type', intent.type, `type must be market or limit, got "${intent.type}"`);
    if (intent.type === 'limit' && !(intent.price! > 0)) throw field('price', intent.price, `a limit entry needs a positive price, got ${intent.price}`);
    if (!(intent.stop > 0)) throw field('stop', intent.stop, `stop must be a positive price, got ${intent.stop}`);
    const amount = floorToStep(intent.amount, rules.amountStep);
    const price = intent.type === 'limit' ? roundToTick(intent.price!, rules.priceTick, 'down') : undefined;
    const reference = price ?? intent.price ?? marketPrice;
    if (reference !== undefined && dir * (reference - intent.stop) <= 0) {
      throw field('stop', intent.stop, `stop ${intent.stop} must be ${dir === 1 ? 'below' : 'above'} the entry price ${reference} for a ${intent.side}`);
    }
    const refuse = (rule: string, why: string) => new ExchangeRejectedError(`entry ${intent.id} on ${intent.symbol} refused: ${why}`,
      { field: 'amount', value: intent.amount, rule, symbol: intent.symbol });
    if (!(amount > 0)) throw refuse('lot-step', `amount ${intent.amount} rounds down to 0 with lot step ${rules.amountStep}`);
    if (rules.minAmount !== undefined && amount < rules.minAmount) {
      throw refuse('min-amount', `amount ${amount} is below the market minimum ${rules.minAmount}`);
    }
    if (rules.minNotional !== undefined && reference !== undefined && amount * reference < rules.minNotional) {
      throw refuse('min-notional', `order value ${round2(amount * reference)} ${rules.quote} (${amount} x ${reference}) is below the market minimum ${rules.minNotional} ${rules.quote}`);
    }
    const takeProfits = (intent.takeProfits ?? [])
      .map((tp) => ({ price: roundToTick(tp.price, rules.priceTick), amount: floorToStep(Math.min(tp.amount, amount), rules.amountStep) }))
      .filter((tp) => tp.amount > 0)
      .sort((a, b) => dir * (a.price - b.price));
    return { amount, price, stop: roundToTick(intent.stop, rules.priceTick), takeProfits };
  }

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
