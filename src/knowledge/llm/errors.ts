/** Errors of the LLM layer, classified by what the caller does next: every one means "fall back to no-LLM". */
import { ItaError, TemporaryError } from '../../engine/errors.ts';

/** Today's spend reached the configured daily budget; calls are refused until the UTC day rolls over. */
export class LlmBudgetExceededError extends ItaError {
  constructor(readonly spentUsd: number, readonly budgetUsd: number) {
    super(`LLM daily budget spent: $${spentUsd.toFixed(4)} of $${budgetUsd.toFixed(2)} used today (UTC); calls refused until tomorrow`, {
      field: 'llm.dailyBudgetUsd',
      value: budgetUsd,
    });
  }
}

/** Every configured provider failed (after retries) or the deadline passed. */
export class LlmUnavailableError extends TemporaryError {}

/** The model answered, but not with what was asked (invalid JSON / schema) even after one re-ask. */
export class LlmOutputError extends ItaError {}
