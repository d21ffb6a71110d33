/**
 * Run as a child process by the crash tests: opens the knowledge base, adds or removes one document, reports it on
 * stdout and kills itself with SIGKILL — no close, no snapshot, exactly what a crash right after the write leaves.
 * argv: dataDir add <name> <text> | dataDir remove <name>
 */
import path from 'node:path';
import { LocalHashEmbedder } from '../../../src/knowledge/embedding/local.ts';
import { openKnowledgeBase } from '../../../src/knowledge/index.ts';

const [dir, action, name, text] = process.argv.slice(2);
const kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite'), embedding: new LocalHashEmbedder(256) });
if (action === 'add') {
  const result = await kb.ingestBuffer(name, new TextEncoder().encode(text));
  process.stdout.write(`added ${result.document.id} ${result.chunks}\n`);
} else {
  const doc = (await kb.listDocuments()).find((d) => d.name === name);
  process.stdout.write(`removed ${doc ? await kb.removeDocument(doc.id) : 'nothing'}\n`);
}
process.kill(process.pid, 'SIGKILL');
