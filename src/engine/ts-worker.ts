/**
 * The source of a worker thread that runs a TypeScript entry: Node 20 ignores `--import tsx` in a worker's execArgv,
 * so the thread registers tsx itself, then loads its entry (`new Worker(tsWorkerSource(url), { eval: true })`).
 */
const TSX_API = import.meta.resolve('tsx/esm/api');

export function tsWorkerSource(entry: URL | string): string {
  const href = typeof entry === 'string' ? entry : entry.href;
  return `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(href)}); });`;
}
