/**
 * The live account: the ccxt live broker over the ONE exchange gateway, when the configuration allows it. When it
 * does not, the reason names exactly what is missing (the environment variables to set), and /mode live quotes it.
 * Creating the broker reconciles ITA's books with the exchange first (see engine/exec/live/index.ts).
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ExchangeGateway } from '../engine/market/gateway.ts';
import { createLiveBroker, type LiveBroker } from '../engine/exec/live/index.ts';

/** The live broker of the configured account type: `broker` for spot, `perpBroker` for USDT-M perpetuals. */
export type LiveAccount =
  | { broker: LiveBroker; perpBroker?: undefined; unavailable?: undefined }
  | { broker?: undefined; perpBroker: LiveBroker; unavailable?: undefined }
  | { broker?: undefined; perpBroker?: undefined; unavailable?: string };

/** Why live trading cannot be offered with this configuration; undefined when it can. */
export function liveUnavailableReason(config: Pick<Config, 'mode' | 'exchange'>, sampleMarket: boolean): string | undefined {
  // mode: paper has its own refusal in the executor.
  if (config.mode !== 'live') return undefined;
  if (sampleMarket) return 'live trading needs the exchange as the market, not the bundled sample replay: set ITA_MARKET=exchange and restart';
  const missing = [!config.exchange.apiKey && 'ITA_EXCHANGE_API_KEY', !config.exchange.secret && 'ITA_EXCHANGE_SECRET'].filter((name): name is string => !!name);
  if (missing.length > 0) return `live trading needs the exchange API key and secret from the environment; missing: ${missing.join(', ')}. Set them and restart`;
  return undefined;
}

export async function openLiveAccount(options: {
  config: Pick<Config, 'mode' | 'exchange'>;
  sampleMarket: boolean;
  /** The governance leverage cap: a perp account never sets more on the exchange. */
  leverageCap?: number;
  gateway: ExchangeGateway | undefined;
  db: Kysely<any>;
  now: () => number;
  logger: Logger;
}): Promise<LiveAccount> {
  const unavailable = liveUnavailableReason(options.config, options.sampleMarket);
  if (options.config.mode !== 'live' || unavailable || !options.gateway) return { unavailable };
  const perp = options.config.exchange.account === 'perp';
  // A perp gateway is ccxt's futures class (binanceusdm): reduce-only STOP_MARKET stops, leverage set per symbol.
  const broker = await createLiveBroker({
    gateway: options.gateway, db: options.db, now: options.now, logger: options.logger,
    ...(perp ? { leverage: options.config.exchange.leverage, leverageCap: options.leverageCap } : {}),
  });
  options.logger.info('live broker ready', { exchange: options.gateway.exchangeId, account: options.config.exchange.account, differences: broker.startupDifferences.length });
  return perp ? { perpBroker: broker } : { broker };
}
