/**
 * Runs `ita backtest --json` and `ita replay --auto-approve --json` in-process (the real commander commands) on one
 * candle file and returns both closed-trade lists as (side, entry time, entry price, exit time, exit price).
 * A backtest closes what is still open at the end of the data ("end-of-data"); the replay leaves it open in the
 * journal, so those are not closed trades of either.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { register as registerBacktest } from '../../../src/cli/commands/backtest.ts';
import { register as registerReplay } from '../../../src/cli/commands/replay.ts';

export interface ClosedTrade {
  side: string;
  entryTs: number;
  entryPrice: number;
  exitTs: number;
  exitPrice: number;
}

async function capture(args: string[], registerCommand: (p: Command) => void): Promise<string> {
  const program = new Command('ita').exitOverride();
  registerCommand(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return out;
}

export interface ParityResult {
  backtest: ClosedTrade[];
  replay: ClosedTrade[];
  skipped: { rule: string; reason?: string }[];
}

/** `common`: options both commands take (--account, --min-score, --no-governor, --symbol ...). */
export async function runBoth(setup: string, csv: string, common: string[] = []): Promise<ParityResult> {
  const bt = JSON.parse(await capture(['backtest', '--setup', setup, '--csv', csv, '--json', ...common], registerBacktest)) as {
    report: { trades: (ClosedTrade & { exitReason: string })[]; skipped: { rule: string; reason?: string }[] };
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'ita-parity-'));
  try {
    const rp = JSON.parse(await capture(['replay', '--setup', setup, '--csv', csv, '--auto-approve', '--json', '--db', path.join(dir, 'r.sqlite'), ...common], registerReplay)) as {
      trades: { side: string; status: string; entryTs: number; entryPrice: number; exitTs: number; exitPrice: number }[];
    };
    const pick = (t: ClosedTrade): ClosedTrade => ({ side: t.side, entryTs: t.entryTs, entryPrice: t.entryPrice, exitTs: t.exitTs, exitPrice: t.exitPrice });
    return {
      backtest: bt.report.trades.filter((t) => t.exitReason !== 'end-of-data').map(pick),
      replay: rp.trades.filter((t) => t.status === 'closed').map(pick),
      skipped: bt.report.skipped,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
