/** Plain-text report of a lab run (terminal and, later, Telegram): agents, candidates with their grades, survivors. */
import type { LabRun } from './run-lab.ts';

const num = (v: number | undefined, digits = 2) => (v !== undefined && Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? '∞' : 'n/a');
const pct = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? `${v > 0 ? '+' : ''}${v.toFixed(2)} %` : 'n/a');

export function labSummary(run: LabRun, o: { evaluatedOn: string }): string[] {
  const lines = [`Lab: ${run.transcripts.length} agent(s), ${run.candidates.length} distinct candidate(s), ${run.saved.length} saved (disabled); LLM cost ${run.costUsd.toFixed(4)} USD`];
  for (const t of run.transcripts) {
    const asked = t.turns.length > 1 ? 'answered after one re-ask' : 'answered';
    lines.push(`  ${t.agent}: ${t.error ? `failed: ${t.error}` : `${asked}, ${t.valid} valid proposal(s)`}${t.rejected.length ? `, ${t.rejected.length} rejected` : ''}`);
    for (const r of t.rejected) lines.push(`    rejected ${r}`);
  }
  lines.push(`Candidates (${o.evaluatedOn}):`);
  for (const c of run.candidates) {
    const s = c.stats;
    const head = `  ${c.candidate.setup.id} — by ${c.candidate.agents.join(', ')}, agreement ${(c.candidate.agreement * 100).toFixed(0)} %`;
    if (c.error || !s || !c.grade) {
      lines.push(`${head}: not evaluated: ${c.error ?? 'no statistics'}`);
      continue;
    }
    lines.push(`${head}: grade ${c.grade.grade}${c.grade.passed ? ' (passed)' : ''}; ${s.trades} trades, return ${pct(s.returnPct)}, Sharpe ${num(s.sharpe)}, profit factor ${num(s.profitFactorQuote)}, max DD ${pct(s.maxDrawdownPct)}`);
    if (c.monteCarlo) {
      const m = c.monteCarlo;
      lines.push(`    Monte Carlo (bootstrap): return ${pct(m.returnPct.p5)} / ${pct(m.returnPct.p50)} / ${pct(m.returnPct.p95)} (5/50/95), ruin (30 % drawdown) ${(m.probabilityOfRuin * 100).toFixed(1)} %`);
    }
    if (c.walkForward) {
      const w = c.walkForward;
      lines.push(`    Walk-forward: ${w.windows} window(s), ${(w.positiveShare * 100).toFixed(0)} % positive, compounded ${pct(w.compoundedReturnPct)}, consistency ${num(w.consistency)}`);
    }
    for (const w of c.grade.strengths) lines.push(`    + ${w}`);
    for (const w of c.grade.weaknesses) lines.push(`    − ${w}`);
    if (c.file) lines.push(`    saved to ${c.file} (enabled: false)`);
  }
  const tc = run.trialsCorrection;
  if (tc) {
    lines.push(
      `Trials: ${tc.trials} variant(s) tried (candidates × optimizer evaluations); luck alone would give the best of them Sharpe ${num(tc.expectedMaxSharpeAnnualized)}; deflated Sharpe of the best ${num(tc.deflatedSharpe * 100, 1)} %`,
    );
  }
  return lines;
}
