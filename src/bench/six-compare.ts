/**
 * The six indicators of issue 11 (SMA 30, EMA 21, RSI 14, ATR 14, MACD, Bollinger) over the same candles: ITA against
 * the fastest JavaScript peer (per indicator and as a set) and against TA-Lib's C library when one is built here.
 *
 * Rounds are interleaved (every contestant once per indicator, then the next round) so that load swings hit all of
 * them alike, and the order inside a round rotates: the first call after a collection pays for returning freed pages
 * to the process, and nobody should always be first. TA-Lib runs in its own process once per round (talib-c.ts).
 */
import type { CandleSeries } from '../engine/indicators/types.ts';
import { computeIndicator } from '../engine/indicators/batch.ts';
import { median, type BenchLine } from './timing.ts';
import { compared } from './compare.ts';
import { timed } from './timed.ts';
import { loadPeers, SIX, type Peer, type SixSpec } from './peers.ts';
import { itaChecksum, loadTaLibC, type TaLibRound } from './talib-c.ts';

type Key = SixSpec | 'set';
type Times = Record<Key, number[]>;

const KEYS: Key[] = ['set', ...SIX];
const WARM_ROUNDS = 2;
const emptyTimes = (): Times => Object.fromEntries(KEYS.map((k) => [k, []])) as unknown as Times;
const label = (key: Key) => (key === 'set' ? `the six (${SIX.join(' ')})` : key);

interface Contestant {
  name: string;
  run: Record<SixSpec, () => unknown>;
  wall: Times;
  cpu: Times;
}

/** CPU medians beside the wall ones: under load 10-20 the wall figure is mostly time spent waiting for a core. */
function cpuRatio(own: number[], baseline: number[]): string {
  const a = median(own);
  const b = median(baseline);
  return `cpu ${a.toFixed(1)} vs ${b.toFixed(1)} ms, ratio ${(a / b).toFixed(2)}×`;
}

/** Every contestant at index (start + k) mod length: a different one goes first in each round. */
function rotated<T>(items: T[], start: number): T[] {
  const s = ((start % items.length) + items.length) % items.length;
  return [...items.slice(s), ...items.slice(0, s)];
}

export async function sixAgainstReferences(series: CandleSeries, rounds: number, log: (m: string) => void): Promise<BenchLine[]> {
  const n = series.close.length;
  const { peers, missing } = await loadPeers(series);
  const loaded = loadTaLibC(series);
  let talib = loaded.talib;
  let talibMissing = loaded.missing;
  const ita: Contestant = {
    name: 'ITA',
    run: Object.fromEntries(SIX.map((spec) => [spec, () => computeIndicator(spec, series)])) as Record<SixSpec, () => unknown>,
    wall: emptyTimes(),
    cpu: emptyTimes(),
  };
  const others: Contestant[] = peers.map((p: Peer) => ({ name: p.name, run: p.run, wall: emptyTimes(), cpu: emptyTimes() }));
  const talibWall = emptyTimes();
  const talibCpu = emptyTimes();
  let talibChecksum: number | undefined;
  log(`six indicators: ITA vs ${[...peers.map((p) => p.name), talib ? 'TA-Lib C' : ''].filter(Boolean).join(', ') || 'nothing'}, ${rounds} interleaved rounds`);

  for (let round = -WARM_ROUNDS; round < rounds; round++) {
    // Negative rounds warm every code path up and are not counted: on a loaded machine the optimizing compiler's
    // background thread waits for a core too, and one round over 100k candles was not enough (MACD ran unoptimized).
    const setWall = new Map<Contestant, number>();
    const setCpu = new Map<Contestant, number>();
    for (const spec of SIX) {
      for (const c of rotated([ita, ...others], round + WARM_ROUNDS)) {
        const t = timed(c.run[spec]);
        setWall.set(c, (setWall.get(c) ?? 0) + t.wall);
        setCpu.set(c, (setCpu.get(c) ?? 0) + t.cpu);
        if (round >= 0) {
          c.wall[spec].push(t.wall);
          c.cpu[spec].push(t.cpu);
        }
      }
    }
    if (talib && round >= 0) {
      let r: TaLibRound;
      try {
        r = talib.round();
      } catch (error) {
        // A broken TA-Lib build costs the comparison, not the rest of the bench.
        talibMissing = `TA-Lib harness failed: ${(error as Error).message.split('\n')[0]}`;
        talib.close();
        talib = undefined;
        continue;
      }
      talibChecksum = r.checksum;
      let setWall = 0;
      let setCpu = 0;
      for (const spec of SIX) {
        talibWall[spec].push(r.wall[spec]);
        talibCpu[spec].push(r.cpu[spec]);
        setWall += r.wall[spec];
        setCpu += r.cpu[spec];
      }
      talibWall.set.push(setWall);
      talibCpu.set.push(setCpu);
    }
    if (round >= 0) {
      for (const c of [ita, ...others]) {
        c.wall.set.push(setWall.get(c)!);
        c.cpu.set.push(setCpu.get(c)!);
      }
    }
  }

  const lines: BenchLine[] = [];
  const candles = `${n.toLocaleString('en-US')} candles`;
  if (others.length > 0) {
    for (const key of KEYS) {
      // The fastest peer is chosen per indicator: "no slower than the fastest JS library" holds for each one.
      const fastest = others.reduce((best, p) => (median(p.wall[key]) < median(best.wall[key]) ? p : best));
      const rest = others.filter((p) => p !== fastest).map((p) => `${p.name} ${median(p.wall[key]).toFixed(1)} ms`);
      lines.push(
        compared(`indicators: ${label(key)} over ${candles}`, ita.wall[key], fastest.wall[key], fastest.name, {
          target: '≤ 1.0× of the fastest JS peer',
          extra: [cpuRatio(ita.cpu[key], fastest.cpu[key]), ...rest].join('; '),
        }),
      );
    }
  } else {
    lines.push({ name: 'indicators vs JS peers: skipped', value: 0, unit: '', note: `not installed: ${missing.join(', ')} (dev dependencies)` });
  }
  if (others.length > 0 && missing.length) lines.push({ name: 'indicators vs JS peers: not installed', value: missing.length, unit: 'libraries', note: missing.join(', ') });

  if (talib && talibChecksum !== undefined) {
    const outputs = Object.fromEntries(SIX.map((spec) => [spec, Object.values(computeIndicator(spec, series))])) as Record<SixSpec, Float64Array[]>;
    const own = itaChecksum(outputs);
    const agreement = own === talibChecksum ? 'sums of all outputs identical to the last bit' : `sums of all outputs differ by ${(Math.abs(own - talibChecksum) / Math.abs(talibChecksum)).toExponential(1)} relative`;
    for (const key of KEYS) {
      lines.push(
        compared(`indicators vs TA-Lib C: ${label(key)} over ${candles}`, ita.wall[key], talibWall[key], 'TA-Lib C', {
          target: key === 'set' ? '≤ 3.0× of TA-Lib C' : undefined,
          extra: [cpuRatio(ita.cpu[key], talibCpu[key]), ...(key === 'set' ? [agreement, `TA-Lib from ${talib.where}, one process per round`] : [])].join('; '),
        }),
      );
    }
    talib.close();
  } else {
    lines.push({ name: 'indicators vs TA-Lib C: not measured', value: 0, unit: '', note: talibMissing });
  }
  return lines;
}
