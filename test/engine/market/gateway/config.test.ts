import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/engine/errors.ts';
import { createGateway } from '../../../../src/engine/market/gateway.ts';

// Construction only: none of these make a request.
describe('gateway construction', () => {
  it('sandbox points binance at its testnet hosts, never at the live ones', async () => {
    const gateway = await createGateway({ exchangeId: 'binance', sandbox: true });
    expect(gateway.apiOrigins).toContain('https://testnet.binance.vision');
    expect(gateway.apiOrigins).not.toContain('https://api.binance.com');
    await gateway.close();
  });

  it('without sandbox binance uses its live REST hosts', async () => {
    const gateway = await createGateway({ exchangeId: 'binance' });
    expect(gateway.apiOrigins).toContain('https://api.binance.com');
    await gateway.close();
  });

  it('urlsOverride replaces every host', async () => {
    const gateway = await createGateway({ exchangeId: 'binance', urlsOverride: 'http://127.0.0.1:9/' });
    expect(gateway.apiOrigins).toEqual(['http://127.0.0.1:9']);
    await gateway.close();
  });

  it('sandbox on an exchange whose ccxt testnet has no URLs (kraken) fails at start-up', async () => {
    await expect(createGateway({ exchangeId: 'kraken', sandbox: true })).rejects.toThrow(ConfigError);
    await expect(createGateway({ exchangeId: 'kraken', sandbox: true })).rejects.toThrow(/kraken testnet has no REST URL/);
  });

  it('an unknown exchange id is a ConfigError naming it', async () => {
    await expect(createGateway({ exchangeId: 'binanse' })).rejects.toThrow(/unknown exchange "binanse"/);
  });

  it('a perp account uses ccxt\'s USDT-M futures class (binanceusdm, fapi hosts); an exchange without one is refused', async () => {
    const gateway = await createGateway({ exchangeId: 'binance', account: 'perp' });
    expect(gateway.exchangeId).toBe('binanceusdm');
    expect(gateway.apiOrigins).toContain('https://fapi.binance.com');
    await gateway.close();
    await expect(createGateway({ exchangeId: 'kraken', account: 'perp' })).rejects.toThrow(/"kraken" has no USDT-M futures class/);
  });
});
