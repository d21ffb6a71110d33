/** One timed call for the bench: wall and CPU milliseconds, after a full garbage collection. */
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A full garbage collection before each timed call, so that no library pays for the garbage another left behind
 * (the peers allocate hundreds of MB per round; whoever allocates next would otherwise trigger its collection).
 */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  return typeof gc === 'function' ? gc : () => undefined;
})();

/** Wall and CPU milliseconds of one call (CPU: this process, all threads, GC included). */
export function timed(fn: () => unknown): { wall: number; cpu: number } {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}
