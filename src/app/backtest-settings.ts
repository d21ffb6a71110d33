/**
 * The one place the configuration becomes backtest settings: fees (paper.feePct), starting equity (paper.equity),
 * the account and leverage of the exchange, the signal policy (min score, max cost) and the governance limits. The
 * bot's /backtest service and the lab (and `ita lab`) all take their settings from here, so a lab verdict is what
 * /backtest would say on the same candles, and both trade under the rules of paper/live.
 */
import type { WorkQueue } from '../engine/queue/remote.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Governance } from '../engine/risk/index.ts';
import type { Setup } from '../engine/setups/index.ts';
import type { Database } from '../engine/store/schema.ts';
import { tradingPolicy } from './trading-defaults.ts';
import { DEFAULT_SIMULATION, type SimulationSettings } from '../engine/backtest/service/run-setup.ts';
import { createBacktestService, type BacktestService } from '../engine/backtest/service/index.ts';

export { tradingPolicy };

type TradingConfig = Pick<Config, 'signals' | 'paper' | 'exchange'>;


export function backtestSettings(config: TradingConfig, governance: Governance | undefined): SimulationSettings {
  const fee = config.paper.feePct / 100;
  return {
    ...DEFAULT_SIMULATION,
    initialCash: config.paper.equity,
    fees: { maker: fee, taker: fee },
    account: config.exchange.account,
    leverage: config.exchange.leverage,
    governance,
    policy: tradingPolicy(config),
  };
}

/** /backtest as main.ts wires it: the setup version the bot trades, under backtestSettings. */
export function createBacktestServiceFromConfig(o: {
  db: Kysely<Database>;
  config: TradingConfig & Pick<Config, 'dataDir' | 'setupsDir'>;
  governance: Governance;
  setupFor?: (id: string) => Setup | undefined;
  /** With `queue.url`: runs go to `ita worker` processes; without it, in this process. */
  queue?: WorkQueue;
}): Promise<BacktestService> {
  return createBacktestService({
    db: o.db, dataDir: o.config.dataDir, setupsDir: o.config.setupsDir, setupFor: o.setupFor, queue: o.queue,
    settings: backtestSettings(o.config, o.governance),
  });
}
