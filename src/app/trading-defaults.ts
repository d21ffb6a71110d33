/**
 * The trading settings every mode shares unless a command overrides them: the account type and leverage of the
 * market, the minimum score and the cost limit of the signal policy, the governance file. Read from the configuration
 * once, so `ita backtest`, `ita replay` and the bot trade under the same rules by default.
 */
import type { AccountType } from '../engine/types.ts';
import { loadConfig } from '../config.ts';
import { tradingPolicy } from './backtest-settings.ts';

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
