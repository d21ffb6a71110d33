/**
 * `ita ingest FILE...`: adds documents to the knowledge base (the same path as a document sent to the bot), with a
 * progress line and one summary line per file. A bad file is reported and skipped; the others are still ingested.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { describeError, InputError, ItaError } from '../../engine/errors.ts';
import { databaseTarget } from '../../engine/store/target.ts';

interface IngestOpts {
  db?: string;
  dataDir?: string;
  list: boolean;
  remove?: string;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('add documents (PDF, DOCX, Markdown, TXT, HTML) to the knowledge base; list or remove them')
    .argument('[files...]', 'files to ingest')
    .option('--db <file>', 'SQLite database file (default: dbFile from the configuration, data/ita.sqlite)')
    .option('--data-dir <dir>', 'directory for the vector index, under <dir>/vectors (default: dataDir from the configuration)')
    .option('--list', 'list the indexed documents', false)
    .option('--remove <id>', 'remove the document with this id (see --list) and rebuild the index')
    .addHelpText(
      'after',
      `
Re-ingesting a file with the same content is recognised as a duplicate and skipped.
Embedding: knowledge.embedding in the configuration (local by default: offline, no model download).

Examples:
  ita ingest notes/smc.md books/risk.pdf
  ita ingest --list
  ita ingest --remove 3`,
    )
    .action(async (files: string[], opts: IngestOpts) => {
      const { loadConfig } = await import('../../config.ts');
      const { openKnowledgeBase } = await import('../../knowledge/index.ts');
      const { embeddingFromConfig } = await import('../../knowledge/embedding/create.ts');
      if (files.length === 0 && !opts.list && opts.remove === undefined) {
        throw new InputError('give files to ingest, --list or --remove <id> (see ita ingest --help)');
      }
      const config = loadConfig();
      const kb = await openKnowledgeBase({
        dbFile: opts.db ?? databaseTarget(config),
        dataDir: opts.dataDir ?? config.dataDir,
        embedding: embeddingFromConfig(config.knowledge, config.knowledge.embeddingApiKey),
        maxUploadBytes: config.knowledge.maxUploadBytes,
      });
      try {
        if (opts.remove !== undefined) {
          const id = Number(opts.remove);
          if (!Number.isInteger(id) || id <= 0) throw new InputError(`--remove needs a document id, got "${opts.remove}"`, { field: 'remove', value: opts.remove });
          const doc = await kb.getDocument(id);
          if (!doc || !(await kb.removeDocument(id))) throw new InputError(`no document with id ${id} (see ita ingest --list)`, { field: 'remove', value: id });
          process.stdout.write(`removed #${id} ${doc.name} (${doc.chunkCount} chunks)\n`);
        }
        let failed = 0;
        for (const file of files) {
          const name = path.basename(file);
          const progress = process.stderr.isTTY
            ? (p: { stage: string; done: number; total: number }) => void process.stderr.write(`\r\x1b[K${name}: ${p.stage} ${p.done}/${p.total}`)
            : undefined;
          try {
            const result = await kb.ingestFile(file, { onProgress: progress });
            if (progress) process.stderr.write('\r\x1b[K');
            const doc = result.document;
            const pages = doc.pages ? `, ${doc.pages} pages` : '';
            process.stdout.write(
              result.duplicate
                ? `= ${name}: already indexed as #${doc.id} ${doc.name} (duplicate, skipped)\n`
                : `+ ${name}: #${doc.id}, ${result.chunks} chunks${pages}\n`,
            );
          } catch (error) {
            if (progress) process.stderr.write('\r\x1b[K');
            failed++;
            // Knowledge-base errors already start with the file name; describeError would prefix it a second time.
            const message = error instanceof ItaError ? error.message : describeError(error);
            process.stdout.write(`! ${message.startsWith(name) ? message : `${name}: ${message}`}\n`);
          }
        }
        if (opts.list) {
          const docs = await kb.listDocuments();
          if (docs.length === 0) process.stdout.write('no documents indexed\n');
          for (const d of docs) {
            const when = new Date(d.createdAt).toISOString().slice(0, 16).replace('T', ' ');
            process.stdout.write(`#${d.id}\t${d.name}\t${d.format}\t${d.chunkCount} chunks${d.pages ? `\t${d.pages} pages` : ''}\t${when}\n`);
          }
        }
        if (failed > 0) process.exitCode = 1;
      } finally {
        await kb.close();
      }
    });
}
