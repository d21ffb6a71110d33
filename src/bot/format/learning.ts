/**
 * What the journal's learning says, on a phone: the decision edge of a setup version (approved / rejected /
 * not pushed, net R per signal with counts) and its recommendations, the regime and the success evidence of a signal.
 */
import type { DecisionEdge, EdgeGroup, EdgeRecommendation } from '../../engine/learning/journal/decision-edge.ts';
import { isRegime } from '../../engine/regime/types.ts';
import { regimeName } from '../../engine/regime/describe.ts';
import type { Signal } from '../../engine/types.ts';
import { translate } from '../i18n/index.ts';
import type { Language } from '../services.ts';
import { escapeHtml } from './html.ts';
import { formatR } from './numbers.ts';

const group = (g: EdgeGroup) => (g.n > 0 ? `${formatR(g.expectancyR)} (${g.n})` : '— (0)');

/** One line of group expectancies, one per recommendation; the open count when some outcomes are still running. */
export function edgeLines(edge: DecisionEdge | undefined, language: Language): string[] {
  if (!edge || edge.groups.all.n + edge.groups.all.open === 0) return [translate(language, 'learn.noOutcomes')];
  const g = edge.groups;
  const lines = [
    translate(language, 'learn.edge', {
      approved: group(g.approved), rejected: group(g.rejected), notPushed: group(g.notPushed),
      unanswered: g.unanswered.n > 0 ? translate(language, 'learn.unanswered', { value: group(g.unanswered) }) : '',
    }),
  ];
  if (g.all.open > 0) lines.push(translate(language, 'learn.open', { n: g.all.open }));
  for (const rec of edge.recommendations) lines.push(recommendationText(edge, rec, language));
  return lines;
}

export function recommendationText(edge: DecisionEdge, rec: EdgeRecommendation, language: Language): string {
  const setup = `<b>${escapeHtml(edge.setupId)}</b>`;
  switch (rec.kind) {
    case 'disable':
      return translate(language, 'learn.rec.disable', { setup, version: `<code>${escapeHtml(edge.setupVersion.slice(0, 8))}</code>`, r: formatR(rec.expectancyR), n: rec.n });
    case 'rejections-saved':
      return translate(language, 'learn.rec.saved', { setup, r: formatR(rec.savedR).replace('+', ''), n: rec.n });
    case 'rejections-cost':
      return translate(language, 'learn.rec.cost', { setup, r: formatR(rec.costR).replace('+', ''), n: rec.n });
    case 'unseen-positive':
      return translate(language, 'learn.rec.unseen', { setup, r: formatR(rec.expectancyR), n: rec.n });
  }
}

/** The caption's regime line, when the detector wrote one (the live pipeline's regime gate does). */
export function regimeLine(signal: Signal, language: Language): string | undefined {
  const regime = signal.context.regime;
  if (regime === undefined) return undefined;
  return translate(language, 'signal.regime', { regime: escapeHtml(regimeName(isRegime(regime) ? regime : undefined, language)) });
}

/** The caption's probability line: a number only when the model passed its out-of-sample test. */
export function evidenceLine(signal: Signal, language: Language): string | undefined {
  const c = signal.context;
  if (c.successEvidence === 'tested' && typeof c.successProbability === 'number') {
    const f = (x: unknown) => (typeof x === 'number' ? (language === 'ru' ? x.toFixed(2).replace('.', ',') : x.toFixed(2)) : '?');
    return translate(language, 'signal.probability', { pct: `${Math.round(c.successProbability * 100)} %`, auc: f(c.successAuc), low: f(c.successAucLow), high: f(c.successAucHigh), n: Number(c.successN ?? 0) });
  }
  if (c.successEvidence === 'insufficient') return translate(language, 'signal.noEvidence');
  return undefined;
}

/**
 * The weekly (and monthly) report's section: per enabled setup version, what the trader's approvals and rejections
 * earned against the signals they did not see, with the recommendations. Undefined for the daily report.
 */
export async function decisionEdgeReport(
  period: string,
  setups: readonly { id: string; version: string }[],
  edgeOf: (id: string, version: string) => Promise<DecisionEdge>,
  language: Language,
): Promise<string | undefined> {
  if (period === 'day') return undefined;
  const blocks: string[] = [];
  let min = 0;
  for (const setup of setups) {
    const edge = await edgeOf(setup.id, setup.version);
    if (edge.groups.all.n + edge.groups.all.open === 0) continue;
    min = edge.minSample;
    blocks.push(`<b>${escapeHtml(setup.id)}</b> <code>${escapeHtml(setup.version.slice(0, 8))}</code>\n${edgeLines(edge, language).join('\n')}`);
  }
  if (blocks.length === 0) return undefined;
  return [translate(language, 'learn.reportTitle'), ...blocks, `<i>${translate(language, 'learn.legend', { min })}</i>`].join('\n');
}
