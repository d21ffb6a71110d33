export { sections } from '../engine/risk/bench.ts';
