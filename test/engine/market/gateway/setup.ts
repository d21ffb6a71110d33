/** Shared wiring for the gateway tests: ccxt's real binance class pointed at the local exchange fake. */
import { createGateway, type ExchangeGateway, type GatewayOptions } from '../../../../src/engine/market/gateway.ts';
import { startExchangeFake, type ExchangeFake, type ExchangeFakeOptions } from '../../../helpers/exchange-fake.ts';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export interface Rig {
  fake: ExchangeFake;
  gateway: ExchangeGateway;
  /** Every backoff the gateway asked for, in order (nothing sleeps for real). */
  sleeps: number[];
}

export async function startRig(
  fakeOptions: ExchangeFakeOptions,
  gatewayOptions: Partial<GatewayOptions> = {},
): Promise<Rig> {
  const fake = await startExchangeFake(fakeOptions);
  const sleeps: number[] = [];
  const gateway = await createGateway({
    exchangeId: 'binance',
    urlsOverride: fake.url,
    now: () => fake.now(),
    enableRateLimit: false,
    timeoutMs: 3_000,
    ...gatewayOptions,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...gatewayOptions.retry,
    },
  });
  return { fake, gateway, sleeps };
}

export async function stopRig(rig: Rig | undefined): Promise<void> {
  if (!rig) return;
  await rig.gateway.close();
  await rig.fake.close();
}
