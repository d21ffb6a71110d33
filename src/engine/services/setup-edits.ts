/**
 * Setups edited from the chat: a draft is the setup's current YAML with one change (a field set, or a clone under a
 * new id), validated like a file and shown as a diff with its new version; only a confirmed draft is applied
 * (registry.define), which writes the YAML file and journals the version. Editable are the decision parts — markets
 * (where it is enabled), filters, entry, stop, targets, management, validity, score, params — not the id by a `set`.
 */
import { parseDocument } from 'yaml';
import { InputError } from '../errors.ts';
import type { SetupRegistry } from '../journal/setup-registry.ts';
import { parseSetup } from '../setups/index.ts';

export type SetupChange =
  | { kind: 'set'; path: string; value: string }
  | { kind: 'clone'; newId: string }
  /** Several parameter values at once (an optimizer's result), drafted only while the setup is still `expectedVersion`. */
  | { kind: 'params'; values: Record<string, number>; expectedVersion?: string };

export interface SetupDraft {
  id: string;
  basedOn: string;
  /** The version of `basedOn` this draft was made from: applying refuses once that setup has changed since. */
  baseVersion?: string;
  yaml: string;
  version: string;
  /** Changed lines: "- old" / "+ new". */
  diff: string[];
}

const EDITABLE = ['markets', 'filters', 'entry', 'stop', 'targets', 'management', 'validity', 'score', 'params', 'name', 'description', 'enabled'];
const ID = /^[a-z0-9][a-z0-9_-]{1,47}$/;

export function draftSetupChange(registry: SetupRegistry, id: string, change: SetupChange): SetupDraft {
  const entry = registry.get(id);
  if (!entry) throw new InputError(`unknown setup "${id}"; known: ${registry.all().map((e) => e.setup.id).join(', ')}`, { field: 'setup', value: id });
  const doc = parseDocument(entry.yaml);
  let newId = id;
  if (change.kind === 'clone') {
    if (!ID.test(change.newId)) throw new InputError(`"${change.newId}" is not a setup id (lower-case letters, digits, _ and -, 2–48 long)`, { field: 'id', value: change.newId });
    if (registry.get(change.newId)) throw new InputError(`a setup "${change.newId}" already exists`, { field: 'id', value: change.newId });
    newId = change.newId;
    doc.set('id', newId);
    doc.set('name', `${entry.setup.name} (copy)`);
  } else if (change.kind === 'params') {
    if (change.expectedVersion !== undefined && change.expectedVersion !== entry.setup.version) {
      throw new InputError(
        `setup ${id} changed since these parameters were found (it was version ${change.expectedVersion.slice(0, 8)}, now ${entry.setup.version.slice(0, 8)}); run the optimization again`,
        { field: 'version', value: change.expectedVersion },
      );
    }
    for (const [name, value] of Object.entries(change.values)) {
      if (!entry.setup.params[name]) throw new InputError(`setup ${id} has no parameter "${name}" (it has: ${Object.keys(entry.setup.params).join(', ') || 'none'})`, { field: 'params', value: name });
      if (!Number.isFinite(value)) throw new InputError(`parameter ${name} must be a number, got ${value}`, { field: `params.${name}`, value });
      doc.setIn(['params', name, 'value'], value);
    }
  } else {
    const path = change.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    if (!EDITABLE.includes(String(path[0]))) {
      throw new InputError(`"${change.path}" cannot be edited from the chat; editable: ${EDITABLE.join(', ')} (and their fields, e.g. stop.mult, targets.0.r)`, { field: 'path', value: change.path });
    }
    // The value is YAML itself: 1.5, [BTC/USDT, ETH/USDT], { type: atr, mult: 2 }.
    const value = parseDocument(change.value).toJS();
    doc.setIn(path, value);
  }
  const yaml = doc.toString();
  const setup = parseSetup(yaml, `${newId}.yaml`);
  // Compared in the same serialization, so re-wrapped text does not count as a change.
  const original = parseDocument(entry.yaml).toString();
  const before = new Set(original.split('\n'));
  const after = new Set(yaml.split('\n'));
  const diff = [
    ...original.split('\n').filter((line) => line.trim() && !after.has(line)).map((line) => `- ${line}`),
    ...yaml.split('\n').filter((line) => line.trim() && !before.has(line)).map((line) => `+ ${line}`),
  ].slice(0, 16);
  return { id: newId, basedOn: id, baseVersion: entry.setup.version, yaml, version: setup.version, diff };
}
