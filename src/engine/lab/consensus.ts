/**
 * The consensus step: identical proposals from several agents are one candidate (identical = the same trading
 * content: names, descriptions and ids do not count), and each candidate's support is the weighted vote of the
 * agents that proposed it, weighted by each agent's past results. Agreement = support / the total weight of the
 * agents that produced at least one valid proposal.
 */
import { versionOf, type Setup } from '../setups/index.ts';
import type { SetupDefinition } from '../setups/schema.ts';

export interface AgentRecord {
  /** Candidates this agent proposed in earlier runs, and how many of them survived out of sample. */
  proposed: number;
  survived: number;
}

/**
 * An agent's vote weight from its record: the Laplace-smoothed survival rate (survived + 1) / (proposed + 2), so a
 * new agent starts at 0.5 and one whose ideas never survive sinks towards 0 without ever being silenced.
 */
export function agentWeight(record: AgentRecord | undefined): number {
  const proposed = record?.proposed ?? 0;
  const survived = Math.min(record?.survived ?? 0, proposed);
  return (survived + 1) / (proposed + 2);
}

/** What two proposals must share to be "the same setup": everything a backtest reads. */
export function tradingKey(setup: Setup): string {
  const { id: _id, name: _name, description: _d, rationale: _r, enabled: _e, version: _v, source: _s, ...trading } = setup;
  return versionOf(trading as unknown as SetupDefinition);
}

export interface Vote {
  agent: string;
  setup: Setup;
  why?: string;
}

export interface Candidate {
  key: string;
  /** The first proposal of this content (its id and texts are kept). */
  setup: Setup;
  agents: string[];
  support: number;
  agreement: number;
  why: string[];
}

export function consensus(votes: Vote[], records: Record<string, AgentRecord> = {}): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const voters = new Set<string>();
  for (const vote of votes) {
    voters.add(vote.agent);
    const key = tradingKey(vote.setup);
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { key, setup: vote.setup, agents: [], support: 0, agreement: 0, why: [] }));
    // One agent proposing the same thing twice is still one vote.
    if (c.agents.includes(vote.agent)) continue;
    c.agents.push(vote.agent);
    c.support += agentWeight(records[vote.agent]);
    if (vote.why) c.why.push(`${vote.agent}: ${vote.why}`);
  }
  let total = 0;
  for (const agent of voters) total += agentWeight(records[agent]);
  const candidates = [...byKey.values()];
  for (const c of candidates) c.agreement = total > 0 ? c.support / total : 0;
  return candidates.sort((a, b) => b.support - a.support);
}
