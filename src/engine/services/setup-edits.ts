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
  | { kind: 'clone'; newId: string };

export interface SetupDraft {
  id: string;
  basedOn: string;
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
  return { id: newId, basedOn: id, yaml, version: setup.version, diff };
}
