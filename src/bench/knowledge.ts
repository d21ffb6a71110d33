/**
 * Knowledge-base benchmarks: ingesting the shared theory corpus, a generated 100-page PDF, and hybrid query latency
 * (vector + BM25 + RRF, local embedding) over 10k and 100k synthetic chunks cut from the corpus text.
 */
import { seededRandom } from '../engine/backtest/random.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { KnowledgeDatabase } from '../knowledge/store/schema.ts';
import type { BenchLine, BenchSection } from './timing.ts';
import { median, percentile } from './timing.ts';

const ROUNDS = 5;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(ROOT, '../shared/data/theory');
const FALLBACK_TEXTS = path.join(ROOT, 'test/fixtures/knowledge');

export const sections: BenchSection[] = [
  {
    title: 'knowledge: ingest, 100-page PDF, hybrid query latency',
    async run({ quick, log }) {
      const lines: BenchLine[] = [];
      const work = mkdtempSync(path.join(os.tmpdir(), 'ita-bench-kb-'));
      try {
        lines.push(...(await benchCorpusIngest(work, log)));
        lines.push(await benchPdf(work, quick ? 20 : 100, log));
        for (const size of quick ? [2_000, 10_000] : [10_000, 100_000]) lines.push(...(await benchQueries(work, size, log)));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
      return lines;
    },
  },
];

async function benchCorpusIngest(work: string, log: (m: string) => void): Promise<BenchLine[]> {
  if (!existsSync(CORPUS)) {
    return [{ name: 'ingest shared theory corpus', value: NaN, unit: 's', note: `skipped: ${CORPUS} is absent` }];
  }
  const { openKnowledgeBase } = await import('../knowledge/index.ts');
  const { corpusFiles } = await import('../knowledge/eval/rag-eval.ts');
  const dir = path.join(work, 'corpus');
  const kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite') });
  const files = corpusFiles(CORPUS);
  const start = performance.now();
  for (const file of files) await kb.ingestFile(file);
  const seconds = (performance.now() - start) / 1000;
  const stats = await kb.stats();
  await kb.close();
  log(`corpus: ${files.length} files, ${stats.chunks} chunks`);
  return [
    { name: `ingest shared theory corpus (${files.length} files, ${stats.chunks} chunks)`, value: seconds, unit: 's' },
    { name: 'vector index size on disk (corpus)', value: stats.indexBytes / 1024, unit: 'KiB' },
  ];
}

async function benchPdf(work: string, pages: number, log: (m: string) => void): Promise<BenchLine> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const words = corpusWords().filter((w) => /^[\x20-\x7e]+$/.test(w));
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const random = seededRandom(7);
  for (let p = 0; p < pages; p++) {
    const page = pdf.addPage([595, 842]);
    for (let line = 0; line < 45; line++) {
      const text = Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(' ');
      page.drawText(text, { x: 40, y: 800 - line * 17, size: 10, font });
    }
  }
  const bytes = await pdf.save();
  const { openKnowledgeBase } = await import('../knowledge/index.ts');
  const dir = path.join(work, 'pdf');
  const kb = await openKnowledgeBase({ dataDir: dir, dbFile: path.join(dir, 'kb.sqlite') });
  const start = performance.now();
  const result = await kb.ingestBuffer(`generated-${pages}-pages.pdf`, bytes);
  const seconds = (performance.now() - start) / 1000;
  await kb.close();
  log(`pdf: ${pages} pages, ${(bytes.length / 1024).toFixed(0)} KiB, ${result.chunks} chunks`);
  return { name: `ingest a generated ${pages}-page PDF (${result.chunks} chunks)`, value: seconds, unit: 's', target: pages === 100 ? '< 15 s' : undefined };
}

async function benchQueries(work: string, size: number, log: (m: string) => void): Promise<BenchLine[]> {
  const { openDatabase } = await import('../engine/store/database.ts');
  const { knowledgeMigrations, openKnowledgeBase } = await import('../knowledge/index.ts');
  const { insertDocumentWithChunks } = await import('../knowledge/store/repository.ts');
  const { loadQuestions, DEFAULT_QUESTIONS_FILE } = await import('../knowledge/eval/rag-eval.ts');
  const dir = path.join(work, `q${size}`);
  const dbFile = path.join(dir, 'kb.sqlite');
  const opened = await openDatabase(dbFile, { extraMigrations: { knowledge_migration: knowledgeMigrations } });
  const sentences = corpusSentences();
  const random = seededRandom(size);
  const perDocument = 1000;
  for (let d = 0; d * perDocument < size; d++) {
    const chunks = Array.from({ length: Math.min(perDocument, size - d * perDocument) }, (_, i) => ({
      ordinal: i,
      heading: `Synthetic ${d} > Part ${i % 17}`,
      text: Array.from({ length: 6 + Math.floor(random() * 5) }, () => sentences[Math.floor(random() * sentences.length)]).join(' '),
    }));
    await insertDocumentWithChunks(opened.db as unknown as Kysely<KnowledgeDatabase>, { name: `synthetic-${d}.txt`, format: 'txt', contentHash: `synthetic-${size}-${d}`, sizeBytes: 0, createdAt: Date.now() }, chunks);
  }
  await opened.close();
  log(`${size} chunks stored; building the vector index (local embedding)…`);
  let start = performance.now();
  const kb = await openKnowledgeBase({ dataDir: dir, dbFile });
  const buildSeconds = (performance.now() - start) / 1000;
  const questions = loadQuestions(DEFAULT_QUESTIONS_FILE).map((q) => q.question);
  start = performance.now();
  await kb.retrieve(questions[0], 5); // builds the in-memory BM25 index
  const bm25Seconds = (performance.now() - start) / 1000;
  // ITA's hybrid query and the raw hnswlib query underneath, measured in the same run, round after round.
  const { LocalHashEmbedder } = await import('../knowledge/embedding/local.ts');
  const { readMeta } = await import('../knowledge/retrieval/vector-index.ts');
  const hnswlib = (await import('hnswlib-node')).default;
  const meta = readMeta(path.join(dir, 'vectors', 'knowledge.meta.json'));
  const embedder = new LocalHashEmbedder();
  if (meta?.embedderState) embedder.importState(meta.embedderState);
  const queryVectors = (await embedder.embed(questions)).map((v) => Array.from(v));
  const raw = new hnswlib.HierarchicalNSW('ip', embedder.dimensions);
  raw.readIndexSync(path.join(dir, 'vectors', 'knowledge.hnsw'));
  raw.setEf(80);
  const times: number[] = [];
  const itaP95: number[] = [];
  const rawP95: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ita: number[] = [];
    const bare: number[] = [];
    // Separate loops: interleaved, the raw query pays for the garbage ITA's query just left behind.
    for (const q of questions) {
      const t = performance.now();
      await kb.retrieve(q, 5);
      ita.push(performance.now() - t);
    }
    for (const v of queryVectors) {
      const t = performance.now();
      raw.searchKnn(v, 5);
      bare.push(performance.now() - t);
    }
    times.push(...ita);
    itaP95.push(percentile(ita, 95));
    rawP95.push(percentile(bare, 95));
  }
  const spread = (xs: number[]): string => `median of ${xs.length} rounds, spread ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} ms`;
  const ratios = itaP95.map((x, i) => x / rawP95[i]);
  const stats = await kb.stats();
  await kb.close();
  const k = `${size / 1000}k`;
  return [
    { name: `build vector index, ${k} chunks (embed + hnsw)`, value: buildSeconds, unit: 's' },
    { name: `build BM25 on first query, ${k} chunks`, value: bm25Seconds, unit: 's' },
    { name: `query p50, ${k} chunks (hybrid, k=5)`, value: percentile(times, 50), unit: 'ms' },
    { name: `query p95, ${k} chunks (hybrid, k=5)`, value: percentile(times, 95), unit: 'ms', target: size >= 100_000 ? '< 100 ms' : undefined },
    { name: `query p95 per round, ${k} chunks: ITA hybrid`, value: median(itaP95), unit: 'ms', note: spread(itaP95) },
    { name: `query p95 per round, ${k} chunks: raw hnswlib searchKnn (baseline)`, value: median(rawP95), unit: 'ms', note: spread(rawP95) },
    {
      name: `query p95 ratio ITA / raw hnswlib, ${k} chunks`,
      value: median(ratios),
      unit: '×',
      target: '≤ 3×',
      note: `median of ${ratios.length} rounds, spread ${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}×; ITA also embeds, runs BM25 twice and re-ranks`,
    },
    { name: `vector index size on disk, ${k} chunks`, value: stats.indexBytes / 1024 / 1024, unit: 'MiB' },
  ];
}

function corpusTexts(): string[] {
  const dir = existsSync(CORPUS) ? CORPUS : FALLBACK_TEXTS;
  return readdirSafe(dir)
    .filter((n) => /\.(md|txt|html)$/i.test(n) && n.toLowerCase() !== 'readme.md')
    .map((n) => readFileSync(path.join(dir, n), 'utf8'));
}

function corpusSentences(): string[] {
  return corpusTexts()
    .flatMap((t) => t.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+/))
    .filter((s) => s.length > 30 && s.length < 400);
}

function corpusWords(): string[] {
  return corpusTexts().flatMap((t) => t.split(/\s+/)).filter((w) => w.length > 1 && w.length < 20);
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

