/** Consensus by hand: identical trading content merges whatever the names; votes weigh by past results; one agent, one vote. */
import { describe, expect, it } from 'vitest';
import { agentWeight, consensus, tradingKey } from '../../../src/engine/lab/consensus.ts';
import { validateProposedSetup } from '../../../src/engine/lab/proposal.ts';

function setup(id: string, name: string, rsi = 30) {
  const v = validateProposedSetup(
    { id, name, description: `${name}.`, rationale: 'Mean reversion.', timeframe: '1d', indicators: { rsi: 'rsi:14', atr: 'atr:14' }, rules: { long: { crosses_above: ['rsi', rsi] } }, stop: { type: 'atr', mult: 2 }, targets: [{ r: 2 }] },
    id,
  );
  if (!v.ok) throw new Error(v.error);
  return v.setup;
}

describe('lab consensus', () => {
  it('names, ids and texts do not make a different setup; a changed threshold does', () => {
    expect(tradingKey(setup('a', 'First'))).toBe(tradingKey(setup('b', 'Second')));
    expect(tradingKey(setup('a', 'First'))).not.toBe(tradingKey(setup('a', 'First', 25)));
  });
  it('weights: Laplace-smoothed survival rate; agreement = support / weight of all voters', () => {
    expect(agentWeight(undefined)).toBe(0.5);
    expect(agentWeight({ proposed: 3, survived: 0 })).toBe(0.2);
    expect(agentWeight({ proposed: 2, survived: 9 })).toBe(0.75); // survivals capped at proposals
    const records = { x: { proposed: 3, survived: 0 }, y: { proposed: 8, survived: 8 } }; // 0.2 and 0.9
    const c = consensus(
      [
        { agent: 'x', setup: setup('a', 'A') },
        { agent: 'x', setup: setup('a2', 'A again') }, // the same agent twice: still one vote
        { agent: 'y', setup: setup('b', 'B', 25) },
        { agent: 'y', setup: setup('c', 'C') },
      ],
      records,
    );
    expect(c.map((k) => [k.setup.id, k.agents, Number(k.support.toFixed(12)), Number(k.agreement.toFixed(12))])).toEqual([
      ['a', ['x', 'y'], 1.1, 1],
      ['b', ['y'], 0.9, Number((0.9 / 1.1).toFixed(12))],
    ]);
  });
  it('a proposal asking to be enabled is validated but will be saved disabled', () => {
    expect(setup('a', 'A').enabled).toBe(true); // evaluated as it would run
    const bad = validateProposedSetup({ id: 'Bad Id', name: 'x' }, 'proposal 1');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^id: use lower_snake_case/);
  });
});
