/**
 * Loads setup YAML files. A bad file is refused with its path, line and the field at fault; the other setups keep
 * running. Versions are content hashes of the normalized definition, so comments and formatting do not make versions.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { CONDITION_KEYWORDS, setupSchema, type SetupDefinition } from './schema.ts';
import { checkReferences, type OutputsOf } from './references.ts';

export interface Setup extends SetupDefinition {
  /** Hash of the normalized definition: every signal and trade records id + version. */
  version: string;
  /** Where it was loaded from (absolute path), if from a file. */
  source?: string;
}

export interface SetupLoadError {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export interface LoadedSetups {
  setups: Setup[];
  errors: SetupLoadError[];
}

export interface LoadOptions {
  /** Output names of an indicator spec; used to check references like `bb.upper`. Throws on a bad spec. */
  outputsOf?: OutputsOf;
}

/** Parses and validates one setup; throws InputError naming file, line and field. */
export function parseSetup(text: string, file: string, options: LoadOptions = {}): Setup {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new InputError(`not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
  }
  const raw = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('a setup file must be a YAML mapping (id:, name:, timeframe:, rules:, ...)', { file, line: 1 });
  }
  const lineOf = (fieldPath: PropertyKey[]): number | undefined => {
    for (let n = fieldPath.length; n >= 0; n--) {
      const node = doc.getIn(fieldPath.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };

  const parsed = setupSchema.safeParse(raw);
  if (!parsed.success) {
    const { fieldPath, message } = explain(parsed.error.issues[0], raw);
    const field = formatPath(fieldPath);
    throw new InputError(`${field ? field + ': ' : ''}${message}`, { file, line: lineOf(fieldPath), field });
  }
  const problem = checkReferences(parsed.data, options.outputsOf);
  if (problem) {
    const field = formatPath(problem.path);
    throw new InputError(`${field}: ${problem.message}`, { file, line: lineOf(problem.path), field });
  }
  return { ...parsed.data, version: versionOf(parsed.data), source: file };
}

export function loadSetupFile(file: string, options: LoadOptions = {}): Setup {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read setup file: ${(cause as Error).message}`, { file }, { cause });
  }
  const setup = parseSetup(text, file, options);
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (setup.id !== expected) {
    throw new InputError(`id "${setup.id}" must match the file name "${expected}"`, { file, field: 'id', line: 1 });
  }
  return setup;
}

/** Loads every *.yaml in a directory; bad files are reported, good ones still load. Duplicate ids are refused. */
export function loadSetupsDir(dir: string, options: LoadOptions = {}): LoadedSetups {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const setups: Setup[] = [];
  const errors: SetupLoadError[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    try {
      setups.push(loadSetupFile(file, options));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ file, line: error.details.line, field: error.details.field, message: error.message });
    }
  }
  return { setups, errors };
}

/** Stable hash of the normalized definition (defaults applied, keys sorted). */
export function versionOf(definition: SetupDefinition): string {
  return createHash('sha256').update(stableStringify(definition)).digest('hex').slice(0, 12);
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function formatPath(fieldPath: PropertyKey[]): string {
  return fieldPath.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

/**
 * Zod reports a failed union (a condition) as one issue holding every branch's issues. The condition's keyword says
 * which branch the author meant, and that branch's message is the useful one.
 */
function explain(issue: z.core.$ZodIssue, raw: unknown): { fieldPath: PropertyKey[]; message: string } {
  if (issue.code === 'invalid_union' && issue.errors.length === CONDITION_KEYWORDS.length) {
    const value = valueAt(raw, issue.path);
    const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    const allowed = CONDITION_KEYWORDS.join(', ');
    const unknown = keys.find((k) => !(CONDITION_KEYWORDS as readonly string[]).includes(k));
    const keyword = keys.find((k) => (CONDITION_KEYWORDS as readonly string[]).includes(k));
    if (unknown && !keyword) return { fieldPath: [...issue.path, unknown], message: `unknown condition "${unknown}"; use one of: ${allowed}` };
    if (!keyword) return { fieldPath: issue.path, message: `not a valid condition; use exactly one of: ${allowed}` };
    const branch = issue.errors[CONDITION_KEYWORDS.indexOf(keyword as (typeof CONDITION_KEYWORDS)[number])];
    const inner = explain(branch[0], valueAt(raw, issue.path));
    return { fieldPath: [...issue.path, ...inner.fieldPath], message: inner.message };
  }
  if (issue.code === 'unrecognized_keys') {
    return { fieldPath: [...issue.path, issue.keys[0]], message: `unknown field "${issue.keys.join('", "')}"` };
  }
  return { fieldPath: issue.path, message: issue.message };
}

function valueAt(root: unknown, fieldPath: PropertyKey[]): unknown {
  return fieldPath.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);
}
