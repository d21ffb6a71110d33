/**
 * A setup drafted from one passage of the trader's theory: the model is asked for `{ "setup": <DSL>, "rationale" }`
 * testing exactly what the passage claims; the reply is validated like a setup file (schema and cross-references)
 * and an unusable reply earns one re-ask quoting the validator's words. Nothing unvalidated is returned.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import type { Setup } from '../../setups/index.ts';
import { labPrompt } from '../prompt.ts';
import { extractJson, validateProposedSetup } from '../proposal.ts';
import type { LabAgent } from '../run-lab.ts';

export interface PassageForDraft {
  document: string;
  page?: number;
  heading?: string;
  text: string;
}

export interface TheoryDraft {
  setup: Setup;
  /** The setup as YAML, as it would be saved (enabled: false). */
  yaml: string;
  rationale: string;
  costUsd: number;
  attempts: number;
}

const replySchema = z.object({ setup: z.record(z.string(), z.unknown()), rationale: z.string().min(1) });

export function theoryPrompt(passage: PassageForDraft, timeframes: string[]): string {
  const where = [passage.document, passage.page !== undefined ? `p. ${passage.page}` : passage.heading].filter(Boolean).join(', ');
  // The DSL's rules are the lab's: one description of the language, one validator.
  const dsl = labPrompt({ n: 1, markets: ['the trader\'s stored markets'], timeframes }).split('\n').slice(3).join('\n');
  return [
    `A trader's document says (${where}):`,
    '"""',
    passage.text.slice(0, 3000),
    '"""',
    'Turn the claim of this passage into ONE setup that tests it as literally as the DSL allows: entries, stop and',
    'targets that follow from the text, no extra filters the text does not mention. If the text names no stop or',
    'target, use an ATR stop of 1.5 and one target at 2R.',
    'Answer with ONLY one JSON object, no prose, no code fences: {"setup": <the setup object>, "rationale": "<one or two sentences: which words of the passage each rule comes from>"}',
    `Use a timeframe among: ${timeframes.join(', ')}.`,
    dsl,
  ].join('\n');
}

type Checked = { ok: true; setup: Setup; definition: Record<string, unknown>; rationale: string } | { ok: false; error: string };

function check(text: string): Checked {
  const data = extractJson(text);
  if (data === undefined) return { ok: false, error: 'the reply contains no JSON object' };
  const parsed = replySchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const v = validateProposedSetup(parsed.data.setup, 'the setup');
  return v.ok ? { ok: true, setup: v.setup, definition: parsed.data.setup, rationale: parsed.data.rationale } : { ok: false, error: v.error };
}

export class TheoryDraftError extends Error {}

export async function draftSetupFromPassage(agent: LabAgent, passage: PassageForDraft, timeframes: string[], signal?: AbortSignal): Promise<TheoryDraft> {
  const history: { prompt: string; reply: string }[] = [];
  let costUsd = 0;
  const prompt = theoryPrompt(passage, timeframes);
  const first = await agent.complete(prompt, history, 'theory:draft', signal);
  costUsd += first.costUsd ?? 0;
  history.push({ prompt, reply: first.text });
  let checked = check(first.text);
  let attempts = 1;
  if (!checked.ok) {
    const reask = `Your setup could not be used: ${checked.error}\nReply again with ONLY the corrected JSON object {"setup": …, "rationale": …}.`;
    const second = await agent.complete(reask, history, 'theory:reask', signal);
    costUsd += second.costUsd ?? 0;
    attempts = 2;
    checked = check(second.text);
    if (!checked.ok) throw new TheoryDraftError(`the model's setup is still invalid after one re-ask: ${checked.error}`);
  }
  // Shown and stored as the model wrote it (validated): the defaults the schema fills in would only bury the rules.
  return { setup: checked.setup, yaml: stringify({ ...checked.definition, enabled: false }), rationale: checked.rationale, costUsd, attempts };
}
