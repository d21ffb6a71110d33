import { brokerContract } from './contract.ts';
import { paperHarness } from './harness.ts';

brokerContract('paper', paperHarness);
