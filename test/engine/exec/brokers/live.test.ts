import { brokerContract } from './contract.ts';
import { liveHarness } from './harness.ts';

brokerContract('live (ccxt binance against the exchange fake)', liveHarness);
