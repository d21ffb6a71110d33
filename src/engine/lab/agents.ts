/**
 * The lab's agents over the configured LLM providers, by multi-model mode (config llm.mode):
 *  - single: one agent, the router with its fallback order;
 *  - ensemble: one agent per provider, all proposing on their own; the consensus votes;
 *  - sequential: the first provider proposes, the second critiques and revises (the same one when only one exists);
 *  - specialized: roles to providers, side by side — a market-structure analyst (entries and conditions) and a risk
 *    manager (stops, targets, management, filters that limit drawdown) — and the consensus merges their setups.
 * Every call goes through the router: its retries, its ledger and its daily budget apply to the lab as to answers.
 * The router is typed structurally so the engine does not import the knowledge layer.
 */
import type { LabAgent } from './run-lab.ts';

export type LabMode = 'single' | 'ensemble' | 'sequential' | 'specialized';

export interface LabRouter {
  readonly providerNames: string[];
  complete(messages: never, options: { purpose: string; only?: string; signal?: AbortSignal }): Promise<{ text: string; costUsd: number; model: string; provider: string }>;
}

const ROLES = {
  analyst: 'You are a market-structure analyst: focus on the entry conditions (trend, structure, patterns, sessions) that give an edge.',
  riskManager: 'You are a risk manager: focus on setups whose stop sits where the idea is proven wrong, with reachable targets, management and filters that limit drawdown.',
} as const;

function agentOf(router: LabRouter, name: string, only: string | undefined, role?: string): LabAgent {
  return {
    name,
    role,
    async complete(prompt, history, purpose, signal) {
      // Role/content pairs: the router's chat models accept them as messages (no LangChain import in the engine).
      const messages = [...history.flatMap((t) => [{ role: 'user', content: t.prompt }, { role: 'assistant', content: t.reply }]), { role: 'user', content: prompt }];
      const reply = await router.complete(messages as never, { purpose, only, signal });
      return { text: reply.text, costUsd: reply.costUsd, model: `${reply.provider}/${reply.model}` };
    },
  };
}

export function labAgents(router: LabRouter, mode: LabMode): { agents: LabAgent[]; flow: 'parallel' | 'sequential' } {
  const names = router.providerNames;
  switch (mode) {
    case 'single':
      return { agents: [agentOf(router, names[0], undefined)], flow: 'parallel' };
    case 'ensemble':
      return { agents: names.map((n) => agentOf(router, n, n)), flow: 'parallel' };
    case 'sequential': {
      const [first, second = first] = names;
      return { agents: [agentOf(router, first, first), agentOf(router, second === first ? `${second} (critic)` : second, second)], flow: 'sequential' };
    }
    case 'specialized': {
      const [first, second = first] = names;
      return {
        agents: [agentOf(router, `${first} (analyst)`, first, ROLES.analyst), agentOf(router, `${second} (risk manager)`, second, ROLES.riskManager)],
        flow: 'parallel',
      };
    }
  }
}
