/** Plain-text report of `ita eval regime`. */
import type { RegimeEvalReport } from './evaluate.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');

export function formatRegimeReport(reports: readonly RegimeEvalReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.source}: ${r.candles} candles, ${r.scored} scored`);
    lines.push(`  accuracy ${pct(r.accuracy)} (always "${r.majorityBaseline.label}" would score ${pct(r.majorityBaseline.accuracy)}), macro F1 ${r.macroF1.toFixed(3)}`);
    lines.push(`  recognition (regime read ${r.recognition.lagBars} candles later, once the window has happened): accuracy ${pct(r.recognition.accuracy)}, macro F1 ${r.recognition.macroF1.toFixed(3)}`);
    lines.push('  label            F1     precision recall   reference  predicted');
    for (const s of r.perLabel) {
      lines.push(`  ${s.label.padEnd(15)} ${s.f1.toFixed(3)}  ${pct(s.precision).padStart(8)}  ${pct(s.recall).padStart(8)}  ${String(s.support).padStart(9)}  ${String(s.predicted).padStart(9)}`);
    }
    const sw = r.switching;
    const raw = r.switchingWithoutHysteresis;
    const verdict = sw.falseSwitchRate <= 0.05 ? 'within' : 'ABOVE';
    lines.push(
      `  false switches ${pct(sw.falseSwitchRate)} (${sw.falseSwitches} of ${sw.switches}; ${verdict} the 5 % target), ${sw.perThousandBars.toFixed(1)} switches per 1,000 candles; without min_bars_hold=${r.minBarsHold}: ${pct(raw.falseSwitchRate)} of ${raw.switches}`,
    );
    lines.push('');
  }
  const first = reports[0];
  if (first) {
    lines.push(`reference labels (hindsight, never seen by the classifier): ${first.referenceRule}`);
    lines.push(`classifier: ${first.classifierRule}`);
    lines.push(`false switch: a switch undone (back to the regime it replaced) within 2 × min_bars_hold candles`);
  }
  return lines.join('\n') + '\n';
}
