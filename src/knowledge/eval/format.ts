import { RELEVANCE_MIN_COVERAGE, RELEVANCE_MIN_SIMILARITY } from '../retrieval/relevance.ts';
import path from 'node:path';
import type { RagEvalReport, Recall, SetReport } from './rag-eval.ts';

const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);

function recallLine(label: string, r: Recall): string {
  const counts = `${r.hitsAt5}/${r.questions}`;
  return `  ${label.padEnd(15)} n=${String(r.questions).padStart(3)}  recall@1 ${pct(r.recallAt1).padStart(6)}  recall@5 ${pct(r.recallAt5).padStart(6)} (${counts.padStart(5)})  MRR ${Number.isNaN(r.mrr) ? '—' : r.mrr.toFixed(3)}\n`;
}

function setBlock(set: SetReport): string {
  let out = `${set.name} questions (${path.basename(set.file)})\n`;
  out += recallLine('all answerable', set.answerable);
  out += recallLine('same language', set.sameLanguage);
  out += recallLine('cross-language', set.crossLanguage);
  const u = set.unanswerable;
  out += `  not covered     ${u.rejected}/${u.questions} out-of-scope questions recognised; ${set.falseRejections}/${set.answerable.questions} answerable ones wrongly declared "not covered"\n`;
  return out;
}

/** The human-readable `ita eval rag` report: totals per question set (tuning, held-out), then every miss. */
export function formatRagReport(report: RagEvalReport): string {
  let out = `RAG retrieval evaluation — ${report.documents} documents, ${report.chunks} chunks from ${report.corpus} (ingested in ${(report.ingestMs / 1000).toFixed(1)} s)\n\n`;
  for (const set of report.sets) out += setBlock(set) + '\n';
  out += `(relevant = a top-3 passage with coverage ≥ ${RELEVANCE_MIN_COVERAGE} or similarity ≥ ${RELEVANCE_MIN_SIMILARITY})\n`;
  const misses = report.results.filter((r) => (r.kind === 'unanswerable' ? r.relevant : r.rank === null || !r.relevant));
  if (misses.length > 0) {
    out += `\nMisses:\n`;
    for (const r of misses) {
      const top = r.top ? `${r.top.document}${r.top.page ? ` p.${r.top.page}` : ''}` : 'nothing';
      const why = r.kind === 'unanswerable' ? 'answered' : r.rank === null ? 'not in top 5' : `rank ${r.rank} but "not covered"`;
      out += `  ${r.set} ${r.id} [${r.kind}] ${r.question} → ${why}; top: ${top}\n`;
    }
  }
  for (const problem of report.problems) out += `problem: ${problem}\n`;
  return out;
}
