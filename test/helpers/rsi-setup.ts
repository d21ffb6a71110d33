/** The small optimizable setup of the optimizer tests: RSI crossing up through `level`, stop at `atr_stop` × ATR. */
import { parseSetup, type Setup } from '../../src/engine/setups/index.ts';

export function rsiBounceSetup(id: string): Setup {
  return parseSetup(
    JSON.stringify({
      id, name: 'RSI', description: 'RSI bounce.', rationale: 'Test.', timeframe: '1d',
      params: { level: { value: 30, min: 20, max: 40, step: 5 }, atr_stop: { value: 2, min: 1, max: 3, step: 0.5 } },
      indicators: { rsi: 'rsi:14', atr: 'atr:14' },
      rules: { long: { crosses_above: ['rsi', '$level'] } },
      stop: { type: 'atr', mult: '$atr_stop' }, targets: [{ r: 2 }],
    }),
    `${id}.yaml`,
  );
}
