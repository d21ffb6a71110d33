/**
 * Parameter search: exhaustive grid or a seeded genetic algorithm over `{ name: {min, max, step} }`, scoring each
 * parameter set with a selectable objective. The search only ever sees the training window; the winner is then
 * evaluated once out of sample, and both are reported so over-fitting is visible.
 */
import { seededRandom, type Random } from './random.ts';
import { correctForTrials, type TrialsCorrection } from './deflated-sharpe.ts';

export type Params = Record<string, number>;
export type ParamRanges = Record<string, { min: number; max: number; step: number }>;
/** Any numeric statistics (a BacktestStatistics fits). */
export type Stats = Record<string, unknown>;
/** Returns the run's statistics (any object with numeric fields, e.g. a BacktestStatistics). */
export type Evaluate = (params: Params) => object | Promise<object>;
import { compositeScore, type CompositeObjective } from './objective.ts';

export type Objective =
  | 'sharpe'
  | 'expectancy'
  | 'profit_factor'
  | 'calmar'
  | 'composite'
  | { composite: Partial<CompositeObjective> }
  | { weights: Record<string, number> }
  | ((stats: Stats) => number);

const OBJECTIVE_FIELD = { sharpe: 'sharpe', expectancy: 'expectancyPct', profit_factor: 'profitFactor', calmar: 'calmar' } as const;

function num(stats: Stats, key: string): number {
  const v = stats[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

/** Higher is better; an undefined figure (no trades, no losses…) ranks last. */
export function score(objective: Objective, stats: Stats): number {
  let value: number;
  if (typeof objective === 'function') value = objective(stats);
  else if (objective === 'composite') value = compositeScore(stats);
  else if (typeof objective === 'string') value = num(stats, OBJECTIVE_FIELD[objective]);
  else if ('composite' in objective) value = compositeScore(stats, objective.composite);
  else value = Object.entries(objective.weights).reduce((sum, [k, w]) => sum + w * num(stats, k), 0);
  return Number.isFinite(value) ? value : -Infinity;
}

function axis(r: { min: number; max: number; step: number }): number[] {
  if (!(r.step > 0) || r.max < r.min) throw new RangeError(`bad range {min:${r.min}, max:${r.max}, step:${r.step}}`);
  const count = Math.floor((r.max - r.min) / r.step + 1e-9) + 1;
  return Array.from({ length: count }, (_, k) => Number((r.min + k * r.step).toPrecision(12)));
}

export function gridPoints(ranges: ParamRanges): Params[] {
  let points: Params[] = [{}];
  for (const [name, range] of Object.entries(ranges)) {
    const values = axis(range);
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return points;
}

export interface Evaluated {
  params: Params;
  score: number;
  stats: Stats;
}

export interface SearchOptions {
  ranges: ParamRanges;
  evaluate: Evaluate;
  objective: Objective;
  onProgress?: (done: number, total: number) => void;
  /** Parameter sets to skip (e.g. fast ≥ slow). */
  constraint?: (params: Params) => boolean;
}

async function evaluateAll(points: Params[], o: SearchOptions, progress: { done: number; total: number }): Promise<Evaluated[]> {
  return Promise.all(
    points.map(async (params) => {
      const stats = (await o.evaluate(params)) as Stats;
      progress.done++;
      o.onProgress?.(progress.done, progress.total);
      return { params, stats, score: score(o.objective, stats) };
    }),
  );
}

const byScore = (a: Evaluated, b: Evaluated) => b.score - a.score;

export async function gridSearch(o: SearchOptions): Promise<Evaluated[]> {
  const points = gridPoints(o.ranges).filter((p) => o.constraint?.(p) ?? true);
  return (await evaluateAll(points, o, { done: 0, total: points.length })).sort(byScore);
}

/** The specification's genetic-algorithm settings. */
export const GA_DEFAULTS = { population: 50, generations: 20, mutationRate: 0.1, crossoverRate: 0.8, elite: 2 } as const;

export interface GeneticOptions extends SearchOptions {
  population?: number;
  generations?: number;
  /** Per-gene probability of a mutation. */
  mutationRate?: number;
  /** Probability that a child mixes two parents (uniform crossover); otherwise it copies the first parent. */
  crossoverRate?: number;
  elite?: number;
  seed?: number;
  /** After each generation (0-based): its best member. */
  onGeneration?: (generation: number, best: Evaluated) => void;
}

function randomPoint(axes: [string, number[]][], random: Random): Params {
  return Object.fromEntries(axes.map(([name, values]) => [name, values[Math.floor(random() * values.length)]]));
}

/** Genetic search on the grid's values: tournament selection, uniform crossover, per-gene mutation, elitism. */
export async function geneticSearch(o: GeneticOptions): Promise<Evaluated[]> {
  const random = seededRandom(o.seed ?? 7);
  const axes = Object.entries(o.ranges).map(([name, r]) => [name, axis(r)] as [string, number[]]);
  const size = o.population ?? GA_DEFAULTS.population;
  const generations = o.generations ?? GA_DEFAULTS.generations;
  const mutationRate = o.mutationRate ?? GA_DEFAULTS.mutationRate;
  const crossoverRate = o.crossoverRate ?? GA_DEFAULTS.crossoverRate;
  const elite = o.elite ?? GA_DEFAULTS.elite;
  const seen = new Map<string, Evaluated>();
  const progress = { done: 0, total: size * generations };
  let generationsDone = 0;
  const ok = (p: Params) => o.constraint?.(p) ?? true;
  const evaluateGeneration = async (points: Params[]): Promise<Evaluated[]> => {
    const fresh = [...new Map(points.map((p) => [JSON.stringify(p), p])).entries()].filter(([k]) => !seen.has(k));
    const results = await evaluateAll(fresh.map(([, p]) => p), o, progress);
    fresh.forEach(([k], i) => seen.set(k, results[i]));
    // Points already seen cost nothing but are still this generation's work: progress reaches its total on a small grid too.
    generationsDone++;
    if (progress.done < generationsDone * size) {
      progress.done = generationsDone * size;
      o.onProgress?.(progress.done, progress.total);
    }
    return points.map((p) => seen.get(JSON.stringify(p))!).sort(byScore);
  };
  const spawn = (): Params => {
    for (let tries = 0; tries < 100; tries++) {
      const p = randomPoint(axes, random);
      if (ok(p)) return p;
    }
    return randomPoint(axes, random);
  };
  let population = await evaluateGeneration(Array.from({ length: size }, spawn));
  o.onGeneration?.(0, population[0]);
  const pick = (): Params => {
    const a = population[Math.floor(random() * population.length)];
    const b = population[Math.floor(random() * population.length)];
    return (a.score >= b.score ? a : b).params;
  };
  for (let g = 1; g < generations; g++) {
    const children: Params[] = population.slice(0, elite).map((e) => e.params);
    while (children.length < size) {
      const [mother, father] = [pick(), pick()];
      const cross = random() < crossoverRate;
      const child: Params = {};
      for (const [name, values] of axes) {
        child[name] = cross && random() < 0.5 ? father[name] : mother[name];
        if (random() < mutationRate) {
          // Small steps mostly, sometimes a jump anywhere: exploit the neighbourhood without getting stuck in it.
          const at = values.indexOf(child[name]);
          const jump = random() < 0.3 ? Math.floor(random() * values.length) : at + (random() < 0.5 ? -1 : 1);
          child[name] = values[Math.min(values.length - 1, Math.max(0, jump))];
        }
      }
      children.push(ok(child) ? child : spawn());
    }
    population = await evaluateGeneration(children);
    o.onGeneration?.(g, population[0]);
  }
  return [...seen.values()].sort(byScore);
}

export interface OptimizeResult {
  method: 'grid' | 'genetic';
  best: Evaluated;
  /** Best parameters re-run on data the search never saw. */
  outOfSample: Evaluated;
  evaluations: number;
  top: Evaluated[];
  /** The best in-sample Sharpe corrected for the number of parameter sets tried (see deflated-sharpe.ts). */
  trialsCorrection: TrialsCorrection;
  /** The search settings used (population, generations, rates; the objective's name). */
  settings: Record<string, number | string>;
}

export async function optimize(
  o: GeneticOptions & { method: 'grid' | 'genetic'; evaluateTest: Evaluate },
): Promise<OptimizeResult> {
  const ranked = o.method === 'grid' ? await gridSearch(o) : await geneticSearch(o);
  const best = ranked[0];
  const stats = (await o.evaluateTest(best.params)) as Stats;
  const settings: Record<string, number | string> =
    o.method === 'grid'
      ? { objective: objectiveName(o.objective) }
      : {
          objective: objectiveName(o.objective),
          population: o.population ?? GA_DEFAULTS.population,
          generations: o.generations ?? GA_DEFAULTS.generations,
          mutationRate: o.mutationRate ?? GA_DEFAULTS.mutationRate,
          crossoverRate: o.crossoverRate ?? GA_DEFAULTS.crossoverRate,
        };
  return {
    method: o.method,
    best,
    outOfSample: { params: best.params, stats, score: score(o.objective, stats) },
    evaluations: ranked.length,
    top: ranked.slice(0, 10),
    trialsCorrection: correctForTrials(best.stats, ranked.map((e) => e.stats)),
    settings,
  };
}

function objectiveName(objective: Objective): string {
  if (typeof objective === 'string') return objective;
  if (typeof objective === 'function') return 'custom';
  return 'composite' in objective ? 'composite' : 'weighted';
}
