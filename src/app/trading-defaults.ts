/**
 * The trading settings every mode shares unless a command overrides them: the account type and leverage of the
 * market, the minimum score and the cost limit of the signal policy, the governance file. Read from the configuration
 * once, so `ita backtest`, `ita replay` and the bot trade under the same rules by default.
 */
import type { AccountType } from '../engine/types.ts';
import { loadConfig, type Config } from '../config.ts';
import { DEFAULT_MAX_COST_R } from '../engine/signals/policy.ts';

export interface TradingDefaults {
  account: AccountType;
  leverage: number;
  minScore: number;
  maxCostR: number;
}

export function tradingDefaults(): TradingDefaults {
  const config = loadConfig();
  return { account: config.exchange.account, leverage: config.exchange.leverage, ...tradingPolicy(config) };
}

/** The signal policy every mode trades under (signals.maxCostR: its default when an older config lacks it). */
export function tradingPolicy(config: Pick<Config, 'signals'>): { minScore: number; maxCostR: number } {
  const signals = config.signals as { minScore: number; maxCostR?: number };
  return { minScore: signals.minScore, maxCostR: signals.maxCostR ?? DEFAULT_MAX_COST_R };
}
