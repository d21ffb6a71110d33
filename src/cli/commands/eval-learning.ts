/** Registers the learning evaluations as subcommands of `ita eval`: regime, ml, detector. */
import type { Command } from 'commander';
import { registerEvalRegime } from './eval-regime.ts';
import { registerEvalMl } from './eval-ml.ts';
import { registerEvalDetector } from './eval-detector.ts';

export function registerLearningEvals(program: Command): void {
  const evalCommand = program.commands.find((c) => c.name() === 'eval');
  if (!evalCommand) throw new Error('the eval command must be registered before its learning subcommands');
  registerEvalRegime(evalCommand);
  registerEvalMl(evalCommand);
  registerEvalDetector(evalCommand);
}
