/**
 * The optimizer workers' evaluation module. Worker threads only receive plain parameters, so the rest of the job
 * (setup, training candles, simulation settings) is a JSON file in the directory named by this module's own URL
 * (`optimize-job.ts?job=<dir>`): each job imports its own module instance and reads its file once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Setup } from '../../setups/index.ts';
import { withParams } from '../detector-source.ts';
import { runSetupBacktest, type MarketSeries, type SimulationSettings } from './run-setup.ts';

export interface OptimizeJob {
  setup: Setup;
  market: MarketSeries;
  settings: SimulationSettings;
}

export const JOB_FILE = 'job.json';

let job: OptimizeJob | undefined;

function loadJob(): OptimizeJob {
  const dir = new URL(import.meta.url).searchParams.get('job');
  if (!dir) throw new Error('optimize-job.ts was imported without ?job=<dir>');
  return JSON.parse(readFileSync(path.join(dir, JOB_FILE), 'utf8')) as OptimizeJob;
}

/** Backtests the setup with these parameter values on the job's training candles; returns the statistics. */
export function evaluateParams(params: Record<string, number>): object {
  job ??= loadJob();
  return runSetupBacktest({ setup: withParams(job.setup, params), market: job.market, settings: job.settings }).stats;
}
