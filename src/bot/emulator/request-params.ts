/**
 * Reads Bot API parameters from query string, JSON, urlencoded or multipart bodies into one bag.
 * Form bodies carry everything as strings (objects as JSON text), so readers coerce like Telegram does.
 */
import type { IncomingMessage } from 'node:http';
import { badRequest, BotApiError } from './api-error.ts';
import { boundaryOf, parseMultipart, type MultipartFile } from './multipart.ts';

export interface RequestParams {
  values: Record<string, unknown>;
  files: Map<string, MultipartFile>;
}

const MAX_BODY_BYTES = 60 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readParams(req: IncomingMessage, url: URL): Promise<RequestParams> {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const files = new Map<string, MultipartFile>();
  const body = await readBody(req);
  const contentType = req.headers['content-type'] ?? '';
  if (body.length === 0) return { values, files };
  if (contentType.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON body");
    }
    if (parsed && typeof parsed === 'object') Object.assign(values, parsed);
  } else if (contentType.includes('application/x-www-form-urlencoded')) {
    Object.assign(values, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  } else if (contentType.includes('multipart/form-data')) {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw badRequest('multipart body without boundary');
    const parsed = parseMultipart(body, boundary);
    for (const field of parsed.fields) values[field.name] = field.value;
    for (const file of parsed.files) files.set(file.name, file);
  }
  return { values, files };
}

export function optionalString(params: RequestParams, key: string): string | undefined {
  const value = params.values[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

export function optionalInt(params: RequestParams, key: string): number | undefined {
  const value = params.values[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) throw badRequest(`field "${key}" must be an integer, got ${JSON.stringify(value)}`);
  return number;
}

export function requiredInt(params: RequestParams, key: string, missing: string): number {
  const value = optionalInt(params, key);
  if (value === undefined) throw badRequest(missing);
  return value;
}

export function optionalBool(params: RequestParams, key: string): boolean | undefined {
  const value = params.values[key];
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Objects (reply_markup, scope, ...) arrive as objects in JSON bodies and as JSON text in form bodies. */
export function optionalJson<T>(params: RequestParams, key: string): T | undefined {
  const value = params.values[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw badRequest(`can't parse ${key} JSON object`);
  }
}
