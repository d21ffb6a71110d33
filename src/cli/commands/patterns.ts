import type { Command } from 'commander';

/** Placeholder until this command lands; registers nothing so `ita --help` never lists a dead command. */
export function register(_program: Command): void {}
