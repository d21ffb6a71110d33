/**
 * The execution feature: /positions /close /closeall /pnl /risk /pause /resume /mode /report /journal over the
 * Executor, plus the button handlers of their confirmations (callback data prefix "ex:").
 * main.ts: `installExecutionFeature(ita, executor, { timeZoneOf })`, or register `commands` with
 * `ita.commands.register(...)` and `ita.bot.use(handlers)` itself.
 */
import { Composer } from 'grammy';
import type { Executor } from '../../engine/exec/executor/types.ts';
import type { Logger } from '../../logger.ts';
import type { CommandSpec } from '../commands/registry.ts';
import type { BotContext } from '../context.ts';
import type { ItaBot } from '../create-bot.ts';
import type { ExecutionDeps } from './context.ts';
import { controlCommands } from './controls.ts';
import { modeCommand } from './live-mode.ts';
import { positionCommands } from './positions.ts';

export interface ExecutionFeatureOptions {
  /** The trader's time zone (settings.timezone); defaults to `timeZone`. */
  timeZoneOf?: (userId: number | undefined) => Promise<string>;
  /** Used when timeZoneOf is not given. Default UTC. */
  timeZone?: string;
  logger?: Logger;
}

export interface ExecutionFeature {
  commands: CommandSpec[];
  /** Button presses of the execution messages; install once with `bot.use(handlers)`. */
  handlers: Composer<BotContext>;
}

export function createExecutionFeature(executor: Executor, options: ExecutionFeatureOptions = {}): ExecutionFeature {
  const handlers = new Composer<BotContext>();
  const fixedZone = options.timeZone ?? 'UTC';
  const deps: ExecutionDeps = {
    executor,
    handlers,
    logger: options.logger,
    timeZoneOf: options.timeZoneOf ?? (() => Promise.resolve(fixedZone)),
  };
  const commands = [...positionCommands(deps), ...controlCommands(deps), modeCommand(deps)];

  handlers.callbackQuery('ex:no', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('exec.cancelled'));
  });
  // Last: any other "ex:" data was not issued by this version of the bot (forged, or from an older release).
  handlers.callbackQuery(/^ex:/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('exec.badButton') }));
  return { commands, handlers };
}

export function installExecutionFeature(ita: Pick<ItaBot, 'bot' | 'commands'> & Partial<Pick<ItaBot, 'handlers'>>, executor: Executor, options: ExecutionFeatureOptions = {}): ExecutionFeature {
  const feature = createExecutionFeature(executor, options);
  for (const command of feature.commands) ita.commands.register(command);
  // Before the bot's "stale button" notice, which answers presses no handler took.
  (ita.handlers ?? ita.bot).use(feature.handlers);
  return feature;
}
