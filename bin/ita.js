#!/usr/bin/env node
// The published entry point: registers tsx's loader so the TypeScript sources run as they are (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
