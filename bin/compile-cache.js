/**
 * The compile cache of the `ita` command. Loading the TypeScript sources through tsx's loader costs about 0.45 s of
 * CPU on every command (some 240 modules resolved and loaded one by one through the loader thread); one esbuild bundle
 * of exactly the same sources loads in a fraction of that. The bundle is keyed by every file under src/ and bin/ (path,
 * size, modification time), the lock file and tsconfig.json, so any edit makes a new key: a command never runs code
 * other than the sources as they are. When the cache holds no bundle for the current key, the command runs through
 * tsx as before and a detached process (bin/build-cache.js) builds one for the next command. Delete
 * node_modules/.cache/ita-cli to drop it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'ita-cli');
/** Part of the key: a change to how bundles are built (build-cache.js) must not reuse older bundles. */
const BUILD_FORMAT = 1;
/** A lock older than this belongs to a builder that died; a bundle takes about 1–3 s to build. */
const STALE_LOCK_MS = 120_000;

/** The key of the sources as they are now. */
export function sourceKey(root = ROOT) {
  const hash = createHash('sha256');
  hash.update(`${BUILD_FORMAT}\0${root}\0`);
  for (const dir of ['src', 'bin']) addTree(hash, root, path.join(root, dir));
  for (const file of ['package-lock.json', 'tsconfig.json']) addFile(hash, root, path.join(root, file));
  return hash.digest('hex').slice(0, 24);
}

function addTree(hash, root, dir) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) addTree(hash, root, full);
    else addFile(hash, root, full);
  }
}

function addFile(hash, root, file) {
  const stats = existsSync(file) ? statSync(file) : undefined;
  hash.update(`${path.relative(root, file)}\0${stats ? `${stats.size}\0${stats.mtimeMs}` : 'absent'}\n`);
}

/** Where the bundle of `key` is (its entry is named ita.js, so src/cli.ts runs itself when it is the main module). */
export function bundleEntry(key) {
  return path.join(CACHE_DIR, key, 'ita.js');
}

/**
 * The bundle of the current sources as a file URL, or null: then the caller runs the sources through tsx, and a
 * bundle is built in the background. Any failure here only means no bundle.
 */
export function cachedCli() {
  try {
    const key = sourceKey();
    const entry = bundleEntry(key);
    if (existsSync(entry)) return pathToFileURL(entry).href;
    startBuild(key);
  } catch {
    // The cache is only a speed-up: a read-only checkout or a vanished file runs through tsx.
  }
  return null;
}

function startBuild(key) {
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = path.join(CACHE_DIR, `${key}.lock`);
  try {
    closeSync(openSync(lock, 'wx'));
  } catch {
    // Another command is building this key (many commands start at once in a script or a test run).
    if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return;
    utimesSync(lock, new Date(), new Date());
  }
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'build-cache.js'), key], { cwd: ROOT, detached: true, stdio: 'ignore' });
  child.on('error', () => {});
  child.unref();
}
