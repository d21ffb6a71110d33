/**
 * Loads governance.yaml, the locked risk limits. A bad file is refused at start-up naming the file, the line and
 * the field, so trading never starts on limits nobody meant. The result is deeply frozen and nothing in the code
 * can change it: changing a limit takes an edit of the file and a restart (the seeds: "the AI may never change
 * risk hot").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors.ts';
import { governanceSchema, toGovernance, type Governance } from './governance-schema.ts';

/** governance.yaml shipped at the project root. */
export const DEFAULT_GOVERNANCE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../governance.yaml');

export function parseGovernance(text: string, file: string): Governance {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new ConfigError(`${file}:${line}: not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
  }
  const raw = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${file}:1: governance must be a YAML mapping (risk_per_trade:, daily_loss:, ...)`, { file, line: 1 });
  }
  const parsed = governanceSchema.safeParse(raw);
  if (!parsed.success) {
    // A misspelled key yields both "missing" and "unknown" issues; the unknown key is the one that explains it.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
    const fieldPath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const field = fieldPath.map(String).join('.');
    const value = valueAt(raw, fieldPath);
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field "${issue.keys.join('", "')}"`
        : value === undefined && issue.code === 'invalid_type'
          ? `missing; it is required (${issue.message})`
          : issue.message;
    const line = lineOf(doc, lineCounter, fieldPath);
    const quoted = value === undefined || typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`;
    throw new ConfigError(`${file}:${line ?? 1}: ${field}: ${message}${quoted}`, { file, line, field, value });
  }
  return deepFreeze(toGovernance(parsed.data, file));
}

export function loadGovernance(file: string = DEFAULT_GOVERNANCE_FILE): Governance {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read governance file ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  return parseGovernance(text, file);
}

/** Line of the deepest key of the path that exists: a missing field points at its parent key. */
function lineOf(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, fieldPath: PropertyKey[]): number | undefined {
  for (let n = fieldPath.length; n >= 1; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, n - 1) as (string | number)[], true);
    const key = fieldPath[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    } else if (isSeq(parent) && typeof key === 'number') {
      const range = (parent.items[key] as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    }
  }
  return undefined;
}

function valueAt(root: unknown, fieldPath: PropertyKey[]): unknown {
  return fieldPath.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
