import { RELEVANCE_MIN_COVERAGE, RELEVANCE_MIN_SIMILARITY } from '../retrieval/relevance.ts';
import type { RagEvalReport, Recall } from './rag-eval.ts';

const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`);

function recallLine(label: string, r: Recall): string {
  return `${label.padEnd(16)} n=${String(r.questions).padStart(3)}  recall@1 ${pct(r.recallAt1).padStart(6)}  recall@5 ${pct(r.recallAt5).padStart(6)}  MRR ${Number.isNaN(r.mrr) ? '—' : r.mrr.toFixed(3)}\n`;
}

/** The human-readable `ita eval rag` report: totals, then every miss so the question set can be improved. */
export function formatRagReport(report: RagEvalReport): string {
  let out = `RAG retrieval evaluation — ${report.documents} documents, ${report.chunks} chunks from ${report.corpus} (ingested in ${(report.ingestMs / 1000).toFixed(1)} s)\n\n`;
  out += recallLine('all answerable', report.answerable);
  out += recallLine('same language', report.sameLanguage);
  out += recallLine('cross-language', report.crossLanguage);
  const u = report.unanswerable;
  out += `not covered      ${u.rejected}/${u.questions} out-of-scope questions recognised; ${report.falseRejections} answerable ones wrongly rejected\n`;
  out += `                 (relevant = a top-3 passage with coverage ≥ ${RELEVANCE_MIN_COVERAGE} or similarity ≥ ${RELEVANCE_MIN_SIMILARITY})\n`;
  const misses = report.results.filter((r) => (r.kind === 'unanswerable' ? r.relevant : r.rank === null));
  if (misses.length > 0) {
    out += `\nMisses:\n`;
    for (const r of misses) {
      const top = r.top ? `${r.top.document}${r.top.page ? ` p.${r.top.page}` : ''}` : 'nothing';
      out += `  ${r.id} [${r.kind}] ${r.question} → top: ${top}\n`;
    }
  }
  for (const problem of report.problems) out += `problem: ${problem}\n`;
  return out;
}
