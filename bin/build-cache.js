/**
 * Builds the compile cache's bundle for one key (bin/compile-cache.js): src/cli.ts and everything it imports, as ESM
 * chunks (the command's lazy imports stay lazy), packages left to node_modules. Each module's import.meta.url (and
 * dirname / filename) is replaced by its source file's, so paths it resolves from itself (setups, migrations, worker
 * entries, which still run through tsx in their threads) are exactly those of the sources. The bundle is written to a
 * temporary directory and renamed into place only if the sources did not change meanwhile.
 */
import { readFile, rename, rm, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CACHE_DIR, ROOT, sourceKey } from './compile-cache.js';

/** Bundles kept besides the newest (another checkout state may come back, e.g. switching branches). */
const KEEP = 3;

export async function buildBundle(key, root = ROOT) {
  const temp = path.join(CACHE_DIR, `${key}.tmp-${process.pid}`);
  try {
    await build({
      entryPoints: { ita: path.join(root, 'src', 'cli.ts') },
      outdir: temp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      // As tsx runs the sources: class and function names stay (error names, logs).
      keepNames: true,
      tsconfig: path.join(root, 'tsconfig.json'),
      logLevel: 'silent',
      plugins: [ownImportMeta],
    });
    if (sourceKey(root) !== key) throw new Error('the sources changed while the bundle was built');
    try {
      await rename(temp, path.join(CACHE_DIR, key));
    } catch (error) {
      // Another builder got there first: its bundle is of the same sources.
      if (!['EEXIST', 'ENOTEMPTY'].includes(error.code)) throw error;
    }
    await prune();
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

const ownImportMeta = {
  name: 'own-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

async function prune() {
  const bundles = [];
  for (const name of await readdir(CACHE_DIR)) {
    if (!/^[0-9a-f]{24}$/.test(name)) continue;
    bundles.push({ name, mtime: (await stat(path.join(CACHE_DIR, name))).mtimeMs });
  }
  bundles.sort((a, b) => b.mtime - a.mtime);
  for (const old of bundles.slice(KEEP + 1)) await rm(path.join(CACHE_DIR, old.name), { recursive: true, force: true });
}

const invokedDirectly = process.argv[1] && /build-cache\.js$/.test(process.argv[1]);
if (invokedDirectly) {
  const key = process.argv[2];
  try {
    await buildBundle(key);
  } catch {
    // Nothing to report to: the next command runs through tsx and tries again.
  } finally {
    await rm(path.join(CACHE_DIR, `${key}.lock`), { force: true });
  }
}
