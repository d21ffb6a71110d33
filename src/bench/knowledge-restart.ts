/**
 * Child process of the knowledge bench: a cold start of ITA's knowledge base over an existing data directory
 * (fresh V8, fresh caches, index files as the previous process left them), timed from `openKnowledgeBase` to the
 * first answered query. Prints one JSON line: { openMs, firstQueryMs }. argv: dataDir question
 */
import path from 'node:path';
import { openKnowledgeBase } from '../knowledge/index.ts';

const [dir, question] = process.argv.slice(2);
// Module loading is the process's start, not the knowledge base's: a running bot has these loaded before it opens.
await import('../knowledge/knowledge-base.ts');
const start = performance.now();
const kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite') });
const opened = performance.now();
await kb.retrieve(question, 5);
const answered = performance.now();
process.stdout.write(`${JSON.stringify({ openMs: opened - start, firstQueryMs: answered - opened })}\n`);
await kb.close();
