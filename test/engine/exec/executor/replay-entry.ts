/**
 * Test entry for `ita replay` while src/cli.ts does not register it yet: the same command through commander, with
 * the same error handling as src/cli.ts (`ita: <message>`, exit 1).
 */
import { Command, CommanderError } from 'commander';
import { describeError } from '../../../../src/engine/errors.ts';
import { register } from '../../../../src/cli/commands/replay.ts';

const program = new Command('ita').exitOverride();
register(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  if (!(error instanceof CommanderError)) process.stderr.write(`ita: ${describeError(error)}\n`);
  process.exitCode = error instanceof CommanderError ? error.exitCode : 1;
}
