/**
 * The setups in force: the YAML files, with the trader's chat overrides (parameter values, on/off) applied on top.
 * A parameter override edits the YAML document itself and re-parses it, so the new version is exactly what a file
 * with that value would be (same validation, same content hash), and every version is journaled.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.ts';
import { parseSetup, type Setup } from '../setups/index.ts';
import type { JournalDb } from './signals.ts';
import { allOverrides, allSwitches, recordSetupVersion, setOverride, setSwitch } from './setup-versions.ts';

export interface RegisteredSetup {
  setup: Setup;
  /** YAML of this version (the file with overrides applied). */
  yaml: string;
}

export interface SetupRegistry {
  /** Every setup, enabled or not, in the order given. */
  all(): RegisteredSetup[];
  get(id: string): RegisteredSetup | undefined;
  /** Enabled setups, for detectors. */
  enabled(): Setup[];
  setParam(id: string, name: string, value: number): Promise<RegisteredSetup>;
  setEnabled(id: string, enabled: boolean): Promise<RegisteredSetup>;
  /** Called after any change (detectors are rebuilt by the live pipeline). */
  onChange(listener: () => void): () => void;
  /**
   * A new or edited setup from the chat, as YAML: validated exactly like a file (errors name line and field), then
   * written to the setups directory (next to `besideSource`, as `<id>.yaml`) so it survives a restart, and journaled
   * as a new version. Parameter overrides and the on/off switch of that id still apply on top.
   */
  define(yaml: string, besideSource: string): Promise<RegisteredSetup>;
}

export interface RegistryOptions {
  db: JournalDb;
  /** Setups as loaded from their files (loadSetupsDir). */
  setups: Setup[];
  /** YAML text of a setup; default: read `setup.source`. */
  readYaml?: (setup: Setup) => string;
  now?: () => number;
}

export async function createSetupRegistry(options: RegistryOptions): Promise<SetupRegistry> {
  const { db } = options;
  const now = options.now ?? Date.now;
  const readYaml = options.readYaml ?? ((setup: Setup) => readFileSync(setup.source!, 'utf8'));
  const base = new Map(options.setups.map((s) => [s.id, { setup: s, yaml: readYaml(s) }]));
  const current = new Map<string, RegisteredSetup>();
  const listeners = new Set<() => void>();
  const overrides = await allOverrides(db);
  const switches = await allSwitches(db);

  const build = (id: string): RegisteredSetup => {
    const original = base.get(id)!;
    const params = overrides.get(id);
    let entry = original;
    if (params && params.size > 0) {
      const doc = parseDocument(original.yaml);
      for (const [name, value] of params) doc.setIn(['params', name, 'value'], value);
      const yaml = doc.toString();
      entry = { setup: parseSetup(yaml, original.setup.source ?? `${id}.yaml`), yaml };
    }
    const enabled = switches.get(id);
    return enabled === undefined ? entry : { ...entry, setup: { ...entry.setup, enabled } };
  };

  for (const id of base.keys()) {
    const entry = build(id);
    current.set(id, entry);
    await recordSetupVersion(db, entry.setup, entry.yaml, now());
  }

  const require = (id: string): RegisteredSetup => {
    const entry = current.get(id);
    if (!entry) throw new InputError(`unknown setup "${id}"; known: ${[...current.keys()].join(', ')}`, { field: 'setup', value: id });
    return entry;
  };
  const changed = () => {
    for (const listener of listeners) listener();
  };

  return {
    all: () => [...current.values()],
    get: (id) => current.get(id),
    enabled: () => [...current.values()].filter((e) => e.setup.enabled).map((e) => e.setup),

    async setParam(id, name, value) {
      const entry = require(id);
      const spec = entry.setup.params[name];
      if (!spec) {
        const known = Object.keys(entry.setup.params);
        throw new InputError(`setup "${id}" has no parameter "${name}"${known.length ? `; parameters: ${known.join(', ')}` : ''}`, { field: 'param', value: name });
      }
      if (!Number.isFinite(value)) throw new InputError(`${id}.${name} must be a number, got ${value}`, { field: name, value });
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw new InputError(`${id}.${name} must be within [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}], got ${value}`, { field: name, value });
      }
      const previous = overrides.get(id) ?? new Map<string, number>();
      const next = new Map(previous).set(name, value);
      overrides.set(id, next);
      let rebuilt: RegisteredSetup;
      try {
        rebuilt = build(id);
      } catch (error) {
        overrides.set(id, previous);
        throw error;
      }
      await setOverride(db, id, name, value, now());
      await recordSetupVersion(db, rebuilt.setup, rebuilt.yaml, now());
      current.set(id, rebuilt);
      changed();
      return rebuilt;
    },

    async setEnabled(id, enabled) {
      require(id);
      await setSwitch(db, id, enabled, now());
      switches.set(id, enabled);
      const rebuilt = build(id);
      current.set(id, rebuilt);
      changed();
      return rebuilt;
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async define(yaml, besideSource) {
      const probe = parseSetup(yaml, 'chat.yaml');
      const file = path.join(path.dirname(besideSource), `${probe.id}.yaml`);
      const setup = parseSetup(yaml, file);
      const previous = base.get(setup.id);
      base.set(setup.id, { setup: { ...setup, source: file }, yaml });
      let rebuilt: RegisteredSetup;
      try {
        rebuilt = build(setup.id);
      } catch (error) {
        if (previous) base.set(setup.id, previous);
        else base.delete(setup.id);
        throw error;
      }
      // Written whole and then renamed: a crash never leaves half a setup file.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, yaml);
      renameSync(temporary, file);
      await recordSetupVersion(db, rebuilt.setup, rebuilt.yaml, now());
      current.set(setup.id, rebuilt);
      changed();
      return rebuilt;
    },
  };
}
