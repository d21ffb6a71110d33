/**
 * TA-Lib's C library, measured in the same run as ITA (`ita bench --only indicators`) when a TA-Lib build is on this
 * machine. Debian 12 has no TA-Lib package and the npm bindings that bundle its source want Node ≥ 24 (talib 2.x) or
 * add a JS↔C copy per call, so the bench links talib-harness.c against the library itself and times the C calls.
 *
 * Where it looks, first hit wins:
 *   1. $ITA_TALIB_DIR: a TA-Lib build with include/ta_libc.h (or include/ta-lib/ta_libc.h) and lib/ holding
 *      libta_libc_csr.a (TA-Lib's own makefile), libta-lib.a or libta_lib.a;
 *   2. data/tmp/talib: what `ops/build-talib.sh` builds (TA-Lib's source from the npm registry, compiled here);
 *   3. the system: /usr/local or /usr with include/ta-lib/ta_libc.h and a libta-lib / libta_lib library.
 * Without one the bench prints "TA-Lib not installed" and how to get it; nothing else changes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CandleSeries } from '../engine/indicators/types.ts';
import { SIX, type SixSpec } from './peers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HARNESS_SOURCE = path.join(ROOT, 'src/bench/talib-harness.c');
const WORK_DIR = path.join(ROOT, 'data/tmp');
export const BUILD_HINT = 'run ops/build-talib.sh (builds TA-Lib C into data/tmp/talib) or set ITA_TALIB_DIR';

interface TaLibBuild {
  dir: string;
  includeDir: string;
  /** Linker arguments for the library (a static archive path or -L/-l). */
  link: string[];
}

export interface TaLibRound {
  /** Milliseconds per indicator: elapsed, and CPU time of the harness process. */
  wall: Record<SixSpec, number>;
  cpu: Record<SixSpec, number>;
  /** Sum of every valid output of the six, in the harness's order (see itaChecksum). */
  checksum: number;
}

export interface TaLibC {
  /** Where the library came from, for the report. */
  where: string;
  /** One round in a fresh process: every one of the six once, after one untimed warm-up round. */
  round(): TaLibRound;
  /** Removes the candle file written for the harness. */
  close(): void;
}

/** Where a TA-Lib build is looked for, in order (see the top of this file). */
export function taLibDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.ITA_TALIB_DIR, path.join(WORK_DIR, 'talib'), '/usr/local', '/usr'].filter((d): d is string => !!d);
}

function findBuild(dirs: readonly string[]): TaLibBuild | undefined {
  for (const dir of dirs) {
    const includeDir = [path.join(dir, 'include'), path.join(dir, 'include/ta-lib')].find((d) => existsSync(path.join(d, 'ta_libc.h')));
    if (!includeDir) continue;
    const libDirs = [path.join(dir, 'lib'), path.join(dir, 'lib/x86_64-linux-gnu'), path.join(dir, 'lib64')];
    for (const libDir of libDirs) {
      const archive = ['libta_libc_csr.a', 'libta-lib.a', 'libta_lib.a'].map((f) => path.join(libDir, f)).find(existsSync);
      if (archive) return { dir, includeDir, link: [archive] };
      const shared = ['ta-lib', 'ta_lib'].find((name) => existsSync(path.join(libDir, `lib${name}.so`)));
      if (shared) return { dir, includeDir, link: [`-L${libDir}`, `-l${shared}`, `-Wl,-rpath,${libDir}`] };
    }
  }
  return undefined;
}

/** Compiles the harness once per (harness source, library) pair; the binary is kept in data/tmp. */
function compileHarness(build: TaLibBuild): string {
  const stamp = createHash('sha256')
    .update(readFileSync(HARNESS_SOURCE))
    .update(build.link.join(' '))
    .update(String(build.link.map((l) => (existsSync(l) ? statSync(l).mtimeMs : 0))))
    .digest('hex')
    .slice(0, 12);
  const binary = path.join(WORK_DIR, `talib-harness-${stamp}`);
  if (existsSync(binary)) return binary;
  mkdirSync(WORK_DIR, { recursive: true });
  // TA-Lib's own makefile compiles it as C++, so its archive needs the C++ runtime; a system build does not mind.
  execFileSync('cc', ['-O2', '-o', binary, HARNESS_SOURCE, `-I${build.includeDir}`, ...build.link, '-lstdc++', '-lm'], { stdio: 'pipe' });
  return binary;
}

/** Parses one harness line: "sma:30 <wall> <cpu> ema:21 <wall> <cpu> ... checksum <sum>". */
export function parseHarnessLine(line: string): TaLibRound {
  const words = line.trim().split(/\s+/);
  const wall = {} as Record<SixSpec, number>;
  const cpu = {} as Record<SixSpec, number>;
  let checksum = NaN;
  for (let i = 0; i < words.length; ) {
    if (words[i] === 'checksum') {
      checksum = Number(words[i + 1]);
      i += 2;
    } else if ((SIX as readonly string[]).includes(words[i])) {
      wall[words[i] as SixSpec] = Number(words[i + 1]);
      cpu[words[i] as SixSpec] = Number(words[i + 2]);
      i += 3;
    } else i++;
  }
  const missing = SIX.filter((spec) => !(wall[spec] >= 0 && cpu[spec] >= 0));
  if (missing.length > 0 || Number.isNaN(checksum)) throw new Error(`TA-Lib harness printed an unexpected line (missing ${missing.join(', ') || 'checksum'}): "${line}"`);
  return { wall, cpu, checksum };
}

/**
 * ITA's counterpart of the harness checksum over the same outputs in the same order: equal sums (to the last bit when
 * every value is bit-identical) show TA-Lib and ITA computed the same numbers on these 1M candles.
 */
export function itaChecksum(outputs: Record<SixSpec, Float64Array[]>): number {
  const total = (a: Float64Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === a[i]) s += a[i];
    return s;
  };
  let checksum = 0;
  for (const spec of SIX) {
    const arrays = outputs[spec];
    let part = total(arrays[0]);
    for (let k = 1; k < arrays.length; k++) part += total(arrays[k]);
    checksum += part;
  }
  return checksum;
}

/** TA-Lib C bound to these candles, or why it is not available. */
export function loadTaLibC(series: CandleSeries, dirs: readonly string[] = taLibDirs()): { talib?: TaLibC; missing?: string } {
  const build = findBuild(dirs);
  if (!build) return { missing: `TA-Lib not installed (${BUILD_HINT})` };
  let binary: string;
  try {
    binary = compileHarness(build);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim().split('\n').slice(0, 3).join(' | ');
    return { missing: `TA-Lib found in ${build.dir} but the harness did not compile: ${stderr}` };
  }
  const n = series.close.length;
  const input = path.join(WORK_DIR, `talib-candles-${process.pid}.bin`);
  writeFileSync(input, Buffer.concat([series.high, series.low, series.close].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  return {
    talib: {
      where: build.dir,
      round() {
        // Two rounds per process, the first untimed: page cache, lazy binding and the first malloc are paid there.
        const out = execFileSync(binary, [input, String(n), '2'], { encoding: 'utf8' });
        const lines = out.trim().split('\n');
        return parseHarnessLine(lines[lines.length - 1]);
      },
      close: () => rmSync(input, { force: true }),
    },
  };
}
