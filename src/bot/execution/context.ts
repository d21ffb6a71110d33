/** What every execution command module receives from createExecutionFeature. */
import type { Composer } from 'grammy';
import type { Executor } from '../../engine/exec/executor/types.ts';
import type { Logger } from '../../logger.ts';
import type { BotContext } from '../context.ts';

export interface ExecutionDeps {
  executor: Executor;
  /** Button presses of the execution messages (prefix "ex:"). */
  handlers: Composer<BotContext>;
  /** The trader's IANA time zone, for the times shown in replies. */
  timeZoneOf(userId: number | undefined): Promise<string>;
  logger?: Logger;
}

/** Who did it, as the executor's journal records it. */
export function actor(ctx: BotContext): string {
  return `telegram:${ctx.from?.id ?? 'unknown'}`;
}
