/**
 * `ita <command>`: the command line. Each command lives in src/cli/commands/<name>.ts and registers itself;
 * heavy modules (ccxt, charts, LangChain) are imported inside the actions so `ita --help` stays instant.
 */
import { Command, CommanderError } from 'commander';
import { describeError, InterruptedError } from './engine/errors.ts';
import { register as registerImport } from './cli/commands/import.ts';
import { register as registerCandles } from './cli/commands/candles.ts';
import { register as registerIndicators } from './cli/commands/indicators.ts';
import { register as registerPatterns } from './cli/commands/patterns.ts';
import { register as registerDetect } from './cli/commands/detect.ts';
import { register as registerBacktest } from './cli/commands/backtest.ts';
import { register as registerReplay } from './cli/commands/replay.ts';
import { register as registerIngest } from './cli/commands/ingest.ts';
import { register as registerAsk } from './cli/commands/ask.ts';
import { register as registerEval } from './cli/commands/eval.ts';
import { register as registerBench } from './cli/commands/bench.ts';
import { register as registerLab } from './cli/commands/lab.ts';
import { register as registerStart } from './cli/commands/start.ts';
import { ownerOnlyFiles } from './engine/store/file-modes.ts';
import { register as registerNotion } from './cli/commands/notion.ts';
import { register as registerLabel } from './cli/commands/label.ts';
import { register as registerWorker } from './cli/commands/worker.ts';
import { register as registerDb } from './cli/commands/db.ts';

export function buildProgram(): Command {
  const program = new Command('ita')
    .description('ITA: trading advisory agent (signals, backtests, paper/live execution, knowledge base)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerStart,
    registerImport,
    registerCandles,
    registerIndicators,
    registerPatterns,
    registerDetect,
    registerBacktest,
    registerReplay,
    registerIngest,
    registerAsk,
    registerEval,
    registerBench,
    registerNotion,
    registerLabel,
    registerLab,
    registerWorker,
    registerDb,
  ]) {
    register(program);
  }
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  ownerOnlyFiles();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`ita: ${describeError(error)}\n`);
    // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C.
    return error instanceof InterruptedError ? 130 : 1;
  }
}

const invokedDirectly = process.argv[1] && /(?:^|[/\\])(cli\.ts|ita(\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  const code = await runCli(process.argv.slice(2));
  process.exitCode = code;
}
