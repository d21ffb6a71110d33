import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register as registerEval } from '../../src/cli/commands/eval.ts';
import { register as registerIngest } from '../../src/cli/commands/ingest.ts';
import { ROOT } from '../helpers/candles.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/knowledge');

async function run(args: string[]): Promise<string> {
  const program = new Command('ita').exitOverride();
  registerIngest(program);
  registerEval(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('ita ingest / ita eval rag', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ita-cli-kb-'));
  });
  afterEach(() => {
    process.exitCode = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests each file with a summary line, reports a bad one and carries on, then lists', async () => {
    writeFileSync(path.join(dir, 'empty.md'), '');
    const db = ['--db', path.join(dir, 'kb.sqlite'), '--data-dir', dir];
    const out = await run([
      'ingest',
      path.join(FIXTURES, 'risk-management.md'),
      path.join(dir, 'empty.md'),
      path.join(FIXTURES, 'sessions.html'),
      path.join(FIXTURES, 'risk-management.md'),
      ...db,
    ]);
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^\+ risk-management\.md: #1, \d+ chunks$/),
      '! empty.md: the file is empty',
      expect.stringMatching(/^\+ sessions\.html: #2, \d+ chunks$/),
      '= risk-management.md: already indexed as #1 risk-management.md (duplicate, skipped)',
      '',
    ]);
    expect(process.exitCode).toBe(1);
    const list = await run(['ingest', '--list', ...db]);
    expect(list).toMatch(/^#1\trisk-management\.md\tmd\t\d+ chunks\t.*\n#2\tsessions\.html\thtml\t/);
    expect(await run(['ingest', '--remove', '2', ...db])).toMatch(/^removed #2 sessions\.html/);
  });

  it('eval rag prints recall and MRR over a corpus and question set', async () => {
    const questions = path.join(dir, 'questions.json');
    writeFileSync(
      questions,
      JSON.stringify({
        questions: [
          { id: 'a', language: 'en', kind: 'same', question: 'How do I size a position from the stop distance?', expect: { document: 'risk-management.md', phrases: ['risk amount divided by the distance'] } },
          { id: 'b', language: 'ru', kind: 'same', question: 'Что такое имбаланс?', expect: { document: 'smc-basics.ru.md', phrases: ['трёхсвечной'] } },
          { id: 'c', language: 'en', kind: 'unanswerable', question: 'How do I bake sourdough bread?', expect: null },
        ],
      }),
    );
    const out = await run(['eval', 'rag', '--corpus', FIXTURES, '--questions', questions, '--no-project-corpus']);
    expect(out).toContain('4 documents');
    expect(out).toMatch(/all answerable\s+n=\s+2\s+recall@1 100\.0%\s+recall@5 100\.0% \(\s*2\/2\)\s+MRR 1\.000/);
    expect(out).toMatch(/not covered\s+1\/1 out-of-scope questions recognised; 0\/2 answerable ones wrongly declared "not covered"/);
  });
});
