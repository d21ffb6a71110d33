/**
 * Structured output: the model is asked for JSON, the reply is repaired when it is merely mis-wrapped (code fences,
 * chatter around it, trailing commas), then validated with zod. An invalid reply earns one re-ask that quotes the
 * error; nothing unvalidated is ever returned.
 */
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { LlmOutputError } from './errors.ts';
import type { CompleteOptions, LlmReply, LlmRouter } from './router.ts';

export interface StructuredReply<T> {
  value: T;
  reply: LlmReply;
  /** 1 when the first answer was valid (possibly after repair), 2 when the re-ask was needed. */
  attempts: number;
}

/** Extracts the JSON value from a model's reply text and fixes the common breakages. Returns undefined if none. */
export function repairJson(text: string): string | undefined {
  let body = text.trim();
  const fenced = /```(?:json|JSON)?\s*([\s\S]*?)```/.exec(body);
  if (fenced) body = fenced[1].trim();
  const start = body.search(/[{[]/);
  if (start < 0) return undefined;
  const end = matchingClose(body, start);
  body = end < 0 ? body.slice(start) : body.slice(start, end + 1);
  return removeTrailingCommas(body);
}

export function parseStructured<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; error: string } {
  const candidate = repairJson(text);
  if (candidate === undefined) return { ok: false, error: 'the reply contains no JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, error: `JSON does not match the expected shape: ${issues}` };
  }
  return { ok: true, value: parsed.data };
}

export async function completeStructured<T>(
  router: LlmRouter,
  messages: BaseMessage[],
  schema: z.ZodType<T>,
  options: CompleteOptions,
): Promise<StructuredReply<T>> {
  const first = await router.complete(messages, options);
  const parsed = parseStructured(first.text, schema);
  if (parsed.ok) return { value: parsed.value, reply: first, attempts: 1 };
  // Re-ask the same provider: a different model would answer a different question.
  const reask = [
    ...messages,
    new AIMessage(first.text),
    new HumanMessage(`Your reply could not be used (${parsed.error}). Reply again with ONLY the JSON object, no prose, no code fences.`),
  ];
  const second = await router.complete(reask, { ...options, only: first.provider, purpose: `${options.purpose}:reask` });
  const reparsed = parseStructured(second.text, schema);
  if (reparsed.ok) return { value: reparsed.value, reply: second, attempts: 2 };
  throw new LlmOutputError(`${first.provider} did not return valid JSON after a re-ask: ${reparsed.error}`, {
    field: options.purpose,
    value: second.text.slice(0, 200),
  });
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when the text is cut short. */
function matchingClose(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

function removeTrailingCommas(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (inString) {
      out += ch;
      if (ch === '\\') out += json[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === ',') {
      const next = json.slice(i + 1).match(/^\s*(.)/)?.[1];
      if (next === '}' || next === ']') continue;
    }
    out += ch;
  }
  return out;
}
