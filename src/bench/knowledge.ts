/**
 * Knowledge-base benchmarks: ingesting the shared theory corpus, a generated 100-page PDF, and hybrid query latency
 * (vector + BM25 + RRF, local embedding) over 10k and 100k synthetic chunks cut from the corpus text, beside the raw
 * hnswlib query on the same index; the first query after a restart (fresh process) and adding a small document.
 */
import { spawn } from 'node:child_process';
import { seededRandom } from '../engine/backtest/random.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { KnowledgeDatabase } from '../knowledge/store/schema.ts';
import type { BenchLine, BenchSection } from './timing.ts';
import { median, percentile } from './timing.ts';
import { spread } from './compare.ts';
import { maxOf, minOf } from '../engine/backtest/metrics.ts';

const ROUNDS = 5;
const RESTART_ROUNDS = 5;
const ADD_ROUNDS = 7;

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

/**
 * Queries over `size` synthetic chunks: each chunk is 6–10 sentences drawn with a seeded PRNG from the corpus's
 * sentences (about 600 distinct ones, so words are far more common than in real documents: the hard case for BM25),
 * headed "Synthetic <document> > Part <n>", 1,000 chunks per document, inserted straight into SQLite.
 */
async function benchQueries(work: string, size: number, log: (m: string) => void): Promise<BenchLine[]> {
  const { openKnowledgeBase } = await import('../knowledge/index.ts');
  const dir = path.join(work, `q${size}`);
  const dbFile = await storeSyntheticChunks(dir, size, log);
  const start = performance.now();
  const kb = await openKnowledgeBase({ dataDir: dir, dbFile });
  const buildSeconds = (performance.now() - start) / 1000;
  await kb.close();
  const k = `${size / 1000}k`;
  return [{ name: `build search indexes, ${k} chunks (embed + hnsw + BM25, once)`, value: buildSeconds, unit: 's' }, ...(await measureQueries(dir, size))];
}

/** Stores the synthetic chunks described above in `<dir>/kb.sqlite` (indexes not built yet); returns the file. */
export async function storeSyntheticChunks(dir: string, size: number, log: (m: string) => void): Promise<string> {
  const { openDatabase } = await import('../engine/store/database.ts');
  const { knowledgeMigrations } = await import('../knowledge/index.ts');
  const { insertDocumentWithChunks } = await import('../knowledge/store/repository.ts');
  const dbFile = path.join(dir, 'kb.sqlite');
  const opened = await openDatabase(dbFile, { extraMigrations: { knowledge_migration: knowledgeMigrations } });
  const sentences = corpusSentences();
  const documents = syntheticDocuments(size, sentences);
  for (const [d, chunks] of documents.entries()) {
    await insertDocumentWithChunks(opened.db as unknown as Kysely<KnowledgeDatabase>, { name: `synthetic-${d}.txt`, format: 'txt', contentHash: `synthetic-${size}-${d}`, sizeBytes: 0, createdAt: Date.now() }, chunks);
  }
  await opened.close();
  log(`${size} chunks stored (${sentences.length} distinct sentences); building the search indexes (local embedding)…`);
  return dbFile;
}

/** The synthetic chunks described above, 1,000 per document (also the BM25 identity test's corpus). */
export function syntheticDocuments(size: number, sentences = corpusSentences()): Array<Array<{ ordinal: number; heading: string; text: string }>> {
  const random = seededRandom(size);
  const perDocument = 1000;
  const documents: Array<Array<{ ordinal: number; heading: string; text: string }>> = [];
  for (let d = 0; d * perDocument < size; d++) {
    documents.push(
      Array.from({ length: Math.min(perDocument, size - d * perDocument) }, (_, i) => ({
        ordinal: i,
        heading: `Synthetic ${d} > Part ${i % 17}`,
        text: Array.from({ length: 6 + Math.floor(random() * 5) }, () => sentences[Math.floor(random() * sentences.length)]).join(' '),
      })),
    );
  }
  return documents;
}

/** Restart, add and query figures over an existing knowledge directory of `size` chunks (closed beforehand). */
export async function measureQueries(dir: string, size: number): Promise<BenchLine[]> {
  const { openKnowledgeBase } = await import('../knowledge/index.ts');
  const { loadQuestions, DEFAULT_QUESTIONS_FILE } = await import('../knowledge/eval/rag-eval.ts');
  const { CHECKPOINT_AFTER } = await import('../knowledge/retrieval/search-index.ts');
  const dbFile = path.join(dir, 'kb.sqlite');
  const sentences = corpusSentences();
  const questions = loadQuestions(DEFAULT_QUESTIONS_FILE).map((q) => q.question);
  const k = `${size / 1000}k`;
  const lines: BenchLine[] = [];

  // Restart: a fresh process opens the saved snapshot (nothing is rebuilt) and answers its first question.
  const restarts: Array<{ openMs: number; firstQueryMs: number }> = [];
  for (let round = 0; round < RESTART_ROUNDS; round++) restarts.push(await coldStart(dir, questions[round % questions.length]));
  const totals = restarts.map((r) => r.openMs + r.firstQueryMs);
  lines.push({
    name: `first query after a restart, ${k} chunks (open + query)`,
    value: median(totals),
    unit: 'ms',
    target: size >= 100_000 ? '< 1,000 ms' : undefined,
    note: `fresh process; median of ${totals.length}, spread ${spread(totals)} ms; open ${median(restarts.map((r) => r.openMs)).toFixed(0)} ms + query ${median(restarts.map((r) => r.firstQueryMs)).toFixed(0)} ms; load avg ${loadavg()[0].toFixed(1)}`,
  });

  const kb = await openKnowledgeBase({ dataDir: dir, dbFile });
  await kb.retrieve(questions[0], 5);
  // Adding a small document (a 1.4 KB note, one chunk): SQLite commit with the index log, in-memory index updates.
  const adds: number[] = [];
  const runStamp = Date.now();
  for (let i = 0; i < ADD_ROUNDS; i++) {
    const note = smallNote(sentences, i, runStamp);
    const t = performance.now();
    await kb.ingestBuffer(`note-${runStamp}-${i}.md`, note);
    adds.push(performance.now() - t);
  }
  lines.push({
    name: `add a small document (1.4 KB note), ${k} chunks`,
    value: median(adds),
    unit: 'ms',
    target: size >= 100_000 ? '< 200 ms' : undefined,
    note: `median of ${adds.length}, spread ${spread(adds)} ms; no index file written (logged in SQLite, saved every ${CHECKPOINT_AFTER} changes in the background)`,
  });

  // ITA's hybrid query and the raw hnswlib query underneath, measured in the same run, round after round.
  const { LocalHashEmbedder } = await import('../knowledge/embedding/local.ts');
  const { readMeta } = await import('../knowledge/retrieval/vector-index.ts');
  const hnswlib = (await import('hnswlib-node')).default;
  const meta = readMeta(path.join(dir, 'vectors', 'knowledge.meta.json'));
  const embedder = new LocalHashEmbedder();
  if (meta?.embedderState) embedder.importState(meta.embedderState);
  const queryVectors = (await embedder.embed(questions)).map((v) => Array.from(v));
  // The hnswlib searches ITA's hybrid query itself makes: the question, and its translation when the glossary has one,
  // each for the fusion's 50 candidates. What ITA adds beyond them is BM25, fusion, re-ranking and the SQLite read.
  const { expandQuery } = await import('../knowledge/retrieval/glossary.ts');
  const ownSearches = await Promise.all(
    questions.map(async (q, i) => {
      const added = expandQuery(q);
      return added.added.length > 0 ? [queryVectors[i], Array.from((await embedder.embed([added.addedText]))[0])] : [queryVectors[i]];
    }),
  );
  const raw = new hnswlib.HierarchicalNSW('ip', embedder.dimensions);
  raw.readIndexSync(path.join(dir, 'vectors', `knowledge.${meta?.generation}.hnsw`));
  raw.setEf(80);
  const times: number[] = [];
  const itaP50: number[] = [];
  const rawP50: number[] = [];
  const itaP95: number[] = [];
  const rawP95: number[] = [];
  // CPU time as well as wall time: on a loaded machine a 20 ms query is preempted far more often than a 0.6 ms one,
  // which inflates the wall-clock p50 ratio and (through the baseline's own hiccups) deflates the p95 one.
  const cpuMs = (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const itaCpuP50: number[] = [];
  const itaCpuP95: number[] = [];
  const rawCpuP50: number[] = [];
  const rawCpuP95: number[] = [];
  const ownP95: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ita: number[] = [];
    const bare: number[] = [];
    const itaCpu: number[] = [];
    const bareCpu: number[] = [];
    // Separate loops: interleaved, the raw query pays for the garbage ITA's query just left behind.
    for (const q of questions) {
      const c = cpuMs();
      const t = performance.now();
      await kb.retrieve(q, 5);
      ita.push(performance.now() - t);
      itaCpu.push(cpuMs() - c);
    }
    for (const v of queryVectors) {
      const c = cpuMs();
      const t = performance.now();
      raw.searchKnn(v, 5);
      bare.push(performance.now() - t);
      bareCpu.push(cpuMs() - c);
    }
    const own: number[] = [];
    for (const vectors of ownSearches) {
      const t = performance.now();
      for (const v of vectors) raw.searchKnn(v, 50);
      own.push(performance.now() - t);
    }
    ownP95.push(percentile(own, 95));
    itaCpuP50.push(percentile(itaCpu, 50));
    itaCpuP95.push(percentile(itaCpu, 95));
    rawCpuP50.push(percentile(bareCpu, 50));
    rawCpuP95.push(percentile(bareCpu, 95));
    times.push(...ita);
    itaP50.push(percentile(ita, 50));
    rawP50.push(percentile(bare, 50));
    itaP95.push(percentile(ita, 95));
    rawP95.push(percentile(bare, 95));
  }
  const roundsNote = (xs: number[]): string => `median of ${xs.length} rounds, spread ${spread(xs)} ms`;
  const ratios = itaP95.map((x, i) => x / rawP95[i]);
  const p50Ratios = itaP50.map((x, i) => x / rawP50[i]);
  const cpuRatios = itaCpuP95.map((x, i) => x / rawCpuP95[i]);
  const cpuP50Ratios = itaCpuP50.map((x, i) => x / rawCpuP50[i]);
  const ratioSpread = (xs: number[]): string => `${minOf(xs).toFixed(1)}–${maxOf(xs).toFixed(1)}×`;
  const load = loadavg()[0].toFixed(1);
  const start = performance.now();
  await kb.close();
  const closeMs = performance.now() - start;
  const stats = await statsAfterClose(dir, dbFile);
  lines.push(
    { name: `query p50, ${k} chunks (hybrid, k=5)`, value: percentile(times, 50), unit: 'ms' },
    { name: `query p95, ${k} chunks (hybrid, k=5)`, value: percentile(times, 95), unit: 'ms', target: size >= 100_000 ? '< 100 ms' : undefined },
    { name: `query p50 per round, ${k} chunks: ITA hybrid`, value: median(itaP50), unit: 'ms', note: roundsNote(itaP50) },
    { name: `query p50 per round, ${k} chunks: raw hnswlib searchKnn (baseline)`, value: median(rawP50), unit: 'ms', note: roundsNote(rawP50) },
    { name: `query p95 per round, ${k} chunks: ITA hybrid`, value: median(itaP95), unit: 'ms', note: roundsNote(itaP95) },
    { name: `query p95 per round, ${k} chunks: raw hnswlib searchKnn (baseline)`, value: median(rawP95), unit: 'ms', note: roundsNote(rawP95) },
    {
      name: `query p95 ratio ITA / raw hnswlib, ${k} chunks`,
      value: median(ratios),
      unit: '×',
      target: '≤ 3×',
      note: `median of ${ratios.length} rounds, spread ${ratioSpread(ratios)}; p50 ratio ${median(p50Ratios).toFixed(1)}× (spread ${ratioSpread(p50Ratios)}); same query vectors, k=5, ef 80; ITA also embeds, searches the translated query, runs BM25 and re-ranks; load avg ${load}`,
    },
    {
      name: `query p95 ratio ITA / the hnswlib searches ITA makes, ${k} chunks`,
      value: median(itaP95.map((x, i) => x / ownP95[i])),
      unit: '×',
      note: `those searches alone (question + translation, k=50, back to back): p95 ${median(ownP95).toFixed(2)} ms, ${(median(ownP95) / median(rawP95)).toFixed(1)}× the baseline above; ${ownSearches.filter((v) => v.length > 1).length} of ${ownSearches.length} questions have a translation`,
    },
    {
      name: `query CPU time p95 ratio ITA / raw hnswlib, ${k} chunks`,
      value: median(cpuRatios),
      unit: '×',
      target: '≤ 3×',
      note: `spread ${ratioSpread(cpuRatios)}; CPU ms per query, medians of ${ROUNDS} rounds: ITA p50 ${median(itaCpuP50).toFixed(2)} / p95 ${median(itaCpuP95).toFixed(2)}, raw p50 ${median(rawCpuP50).toFixed(2)} / p95 ${median(rawCpuP95).toFixed(2)}; p50 ratio ${median(cpuP50Ratios).toFixed(1)}× (spread ${ratioSpread(cpuP50Ratios)}); load avg ${load}`,
    },
    { name: `save a snapshot at close, ${k} chunks (after ${ADD_ROUNDS} adds)`, value: closeMs, unit: 'ms', note: 'hnswlib graph + BM25 postings, written to temp files and renamed; off the add path' },
    { name: `index files on disk, ${k} chunks (hnsw + BM25)`, value: stats / 1024 / 1024, unit: 'MiB' },
  );
  return lines;
}

async function coldStart(dir: string, question: string): Promise<{ openMs: number; firstQueryMs: number }> {
  const script = path.join(ROOT, 'src/bench/knowledge-restart.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, question], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`knowledge restart bench exited with ${code}`))));
  });
}

async function statsAfterClose(dir: string, dbFile: string): Promise<number> {
  const { openKnowledgeBase } = await import('../knowledge/index.ts');
  const kb = await openKnowledgeBase({ dataDir: dir, dbFile });
  const { indexBytes } = await kb.stats();
  await kb.close();
  return indexBytes;
}

/** About 1.4 KB of corpus sentences under a heading; different for each i so none is a duplicate. */
function smallNote(sentences: string[], i: number, stamp: number): Uint8Array {
  const random = seededRandom(1000 + i);
  let text = `# Note ${i} (${stamp})\n\n`;
  while (text.length < 1400) text += `${sentences[Math.floor(random() * sentences.length)]} `;
  return new TextEncoder().encode(text.slice(0, 1400));
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

