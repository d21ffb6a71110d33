#!/usr/bin/env node
// The published entry point. The TypeScript sources run as they are (no build step): from the compile cache when it
// holds a bundle of exactly these sources (bin/compile-cache.js), else through tsx's loader.
import { cachedCli } from './compile-cache.js';

const bundle = cachedCli();
if (bundle) await import(bundle);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
