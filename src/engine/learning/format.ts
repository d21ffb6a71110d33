/** Plain-text report of `ita eval ml`. */
import type { SetupEvalResult } from './evaluate-setup.ts';
import { MIN_OUT_OF_SAMPLE } from './evidence.ts';

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');

export function formatMlReport(result: SetupEvalResult, source: string): string {
  const r = result.report;
  const lines: string[] = [];
  lines.push(`${r.setupId} ${r.setupVersion} on ${source}: ${result.signals.length} signals (${result.droppedByRegime} refused by its regime map), ${r.n} with a decided outcome, ${r.positives} worked (${pct(r.n ? r.positives / r.n : NaN)})`);
  const chance = r.aucCi[0] > 0.5 ? 'above chance' : 'NOT distinguishable from chance (0.5 is inside the interval)';
  lines.push(`out of sample (${r.nOutOfSample} signals): AUC ${f2(r.auc)}, 95 % CI [${f2(r.aucCi[0])}, ${f2(r.aucCi[1])}]: ${chance}`);
  lines.push(`Brier ${f2(r.brier)} (base rate alone: ${f2(r.brierBaseline)}; lower is better)`);
  lines.push(`probability in captions and ranking: ${r.aucCi[0] > 0.5 && r.nOutOfSample >= MIN_OUT_OF_SAMPLE && r.brier <= r.brierBaseline ? 'yes' : `no — "not enough evidence yet" (needs the interval above 0.5 on ≥ ${MIN_OUT_OF_SAMPLE} out-of-sample signals and a Brier score no worse than the base rate's)`}`);
  lines.push('folds (walk-forward, purged):  train  test  purged  AUC');
  r.folds.forEach((fold, i) => lines.push(`  ${String(i + 1).padStart(2)}                          ${String(fold.train).padStart(5)} ${String(fold.test).padStart(5)} ${String(fold.purged).padStart(7)}  ${f2(fold.auc)}`));
  lines.push('calibration (out of sample):  predicted   count  mean predicted  observed');
  for (const bin of r.calibration) {
    lines.push(`  ${bin.from.toFixed(1)}–${bin.to.toFixed(1)}                    ${String(bin.count).padStart(12)}  ${pct(bin.meanPredicted).padStart(14)}  ${pct(bin.observedRate).padStart(8)}`);
  }
  const top = r.coefficients.slice(0, 6).map((c) => `${c.feature} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(2)}`);
  if (top.length) lines.push(`strongest features (final model, per standard deviation): ${top.join(', ')}`);
  for (const [key, text] of Object.entries(r.assumptions)) lines.push(`${key}: ${text}`);
  return lines.join('\n') + '\n';
}
