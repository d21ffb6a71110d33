export { sections } from '../engine/exec/executor/bench.ts';
