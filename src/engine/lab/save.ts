/**
 * Survivors become ordinary setup files, `enabled: false`, with a header saying where they came from and how they
 * graded: the trader reads, edits and enables them like any other setup. An existing file is never overwritten.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Grade } from '../backtest/grades.ts';
import type { Candidate } from './consensus.ts';

function freeId(dir: string, id: string): string {
  if (!existsSync(path.join(dir, `${id}.yaml`))) return id;
  for (let k = 2; ; k++) if (!existsSync(path.join(dir, `${id}_${k}.yaml`))) return `${id}_${k}`;
}

export async function saveDisabledSetup(dir: string, candidate: Candidate, grade: Grade): Promise<string> {
  await mkdir(dir, { recursive: true });
  const { version: _version, source: _source, ...definition } = candidate.setup;
  const id = freeId(dir, definition.id);
  const header = [
    `# Proposed by the strategy lab (${candidate.agents.join(', ')}; agreement ${(candidate.agreement * 100).toFixed(0)} %).`,
    `# Grade: ${grade.grade}${grade.passed ? ', passed' : ''}. Disabled until you set enabled: true.`,
    ...grade.strengths.map((s) => `#   + ${s}`),
    ...grade.weaknesses.map((w) => `#   - ${w}`),
  ];
  const file = path.join(dir, `${id}.yaml`);
  await writeFile(file, `${header.join('\n')}\n${stringify({ ...definition, id, enabled: false })}`, { flag: 'wx' });
  return file;
}
