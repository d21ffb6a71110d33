import type { BenchSection } from './timing.ts';

export const sections: BenchSection[] = [];
