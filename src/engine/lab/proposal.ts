/**
 * The strict JSON an LLM agent must answer with: `{ "proposals": [ { "setup": <setup DSL object>, "why": "..." } ] }`.
 * The setup object is exactly the YAML DSL of setups/README.md written as JSON (JSON is YAML), so it is validated by
 * the same schema and cross-reference checks as a setup file, with the same field-naming error messages; whatever
 * the model says about `enabled`, a survivor is saved disabled until the trader enables it.
 */
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { parseSetup, type Setup } from '../setups/index.ts';

export const proposalEnvelopeSchema = z.strictObject({
  proposals: z
    .array(
      z.strictObject({
        /** The setup in the DSL (id, name, description, rationale, timeframe, params, indicators, rules, stop, targets …). */
        setup: z.record(z.string(), z.unknown()),
        /** Why the agent expects an edge, in one or two sentences. */
        why: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

export type ProposalEnvelope = z.infer<typeof proposalEnvelopeSchema>;

/** The JSON value inside a model's reply: code fences and chatter around it are dropped. Undefined when there is none. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json|JSON)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced ? fenced[1] : text).trim();
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    // Trailing commas are the most common breakage of otherwise good JSON.
    return JSON.parse(body.slice(start, end + 1).replace(/,\s*([}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

export type ParsedReply = { ok: true; envelope: ProposalEnvelope } | { ok: false; error: string };

export function parseProposalReply(text: string): ParsedReply {
  const data = extractJson(text);
  if (data === undefined) return { ok: false, error: 'the reply contains no JSON object' };
  const parsed = proposalEnvelopeSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, envelope: parsed.data };
}

export type ValidatedSetup = { ok: true; setup: Setup } | { ok: false; error: string };

/**
 * Validates one proposed setup exactly as a setup file is validated. It is evaluated as it would run once enabled
 * (the detector skips disabled setups); `save.ts` writes it disabled.
 */
export function validateProposedSetup(definition: Record<string, unknown>, label: string): ValidatedSetup {
  try {
    const setup = parseSetup(JSON.stringify({ ...definition, enabled: true }), label);
    return { ok: true, setup };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error: error.message };
    throw error;
  }
}
