/**
 * Multi-model modes over the router:
 *  - ensemble: every provider answers the same structured question; answers vote by a key; the agreement score is
 *    the share of valid answers that agree with the winner (ties go to the earlier provider: config order is priority);
 *  - sequential: the first provider proposes, the second critiques and revises (the same one when only one exists);
 *  - specialized: roles (analyst, risk manager) go to different providers and run side by side.
 * Each degrades rather than fails when some models do: a mode fails only when no model produced anything usable.
 */
import type { BaseMessage } from '@langchain/core/messages';
import type { z } from 'zod';
import { LlmUnavailableError } from './errors.ts';
import type { CompleteOptions, LlmReply, LlmRouter } from './router.ts';
import { completeStructured } from './structured.ts';

export interface EnsembleVote<T> {
  provider: string;
  key?: string;
  value?: T;
  error?: string;
}

export interface EnsembleResult<T> {
  winner: T;
  winnerKey: string;
  /** Share (0..1) of the valid answers that agree with the winner. */
  agreement: number;
  votes: EnsembleVote<T>[];
}

export async function runEnsemble<T>(
  router: LlmRouter,
  messages: BaseMessage[],
  schema: z.ZodType<T>,
  voteKey: (value: T) => string,
  options: CompleteOptions,
): Promise<EnsembleResult<T>> {
  const votes = await Promise.all(
    router.providerNames.map(async (provider): Promise<EnsembleVote<T>> => {
      try {
        const { value } = await completeStructured(router, messages, schema, { ...options, only: provider });
        return { provider, key: voteKey(value), value };
      } catch (error) {
        return { provider, error: (error as Error).message };
      }
    }),
  );
  const valid = votes.filter((v) => v.key !== undefined);
  if (valid.length === 0) throw new LlmUnavailableError(`no ensemble member answered: ${votes.map((v) => `${v.provider}: ${v.error}`).join('; ')}`);
  const counts = new Map<string, number>();
  for (const vote of valid) counts.set(vote.key!, (counts.get(vote.key!) ?? 0) + 1);
  let winnerKey = valid[0].key!;
  for (const vote of valid) if (counts.get(vote.key!)! > counts.get(winnerKey)!) winnerKey = vote.key!;
  const winner = valid.find((v) => v.key === winnerKey)!.value as T;
  return { winner, winnerKey, agreement: counts.get(winnerKey)! / valid.length, votes };
}

export interface SequentialResult {
  proposal: LlmReply;
  /** The critic's revision, or the proposal itself when the critic failed. */
  final: LlmReply;
  revised: boolean;
}

export async function runSequential(
  router: LlmRouter,
  messages: BaseMessage[],
  critique: (proposal: string) => BaseMessage[],
  options: CompleteOptions,
): Promise<SequentialResult> {
  const [proposer, critic = proposer] = router.providerNames;
  const proposal = await router.complete(messages, { ...options, only: proposer });
  try {
    const final = await router.complete(critique(proposal.text), { ...options, only: critic, purpose: `${options.purpose}:critique` });
    return { proposal, final, revised: true };
  } catch {
    return { proposal, final: proposal, revised: false };
  }
}

export type SpecialistRole = 'analyst' | 'riskManager';

export type SpecializedResult = Partial<Record<SpecialistRole, LlmReply>>;

export async function runSpecialized(
  router: LlmRouter,
  roleMessages: Record<SpecialistRole, BaseMessage[]>,
  options: CompleteOptions,
): Promise<SpecializedResult> {
  const [first, second = first] = router.providerNames;
  const assignment: Record<SpecialistRole, string> = { analyst: first, riskManager: second };
  const roles = Object.keys(roleMessages) as SpecialistRole[];
  const replies = await Promise.allSettled(
    roles.map((role) => router.complete(roleMessages[role], { ...options, only: assignment[role], purpose: `${options.purpose}:${role}` })),
  );
  const result: SpecializedResult = {};
  replies.forEach((r, i) => {
    if (r.status === 'fulfilled') result[roles[i]] = r.value;
  });
  if (Object.keys(result).length === 0) {
    const reasons = replies.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : '')).join('; ');
    throw new LlmUnavailableError(`no specialist answered: ${reasons}`);
  }
  return result;
}
