/**
 * Neural embeddings through an HTTP endpoint: OpenAI-compatible (POST {baseUrl}/embeddings) or Ollama
 * (POST {baseUrl}/api/embed). Dimensions are learned from the first answer; the index records them with the id.
 * Network failures are TemporaryError (retry later); a malformed answer is an ItaError naming the endpoint.
 */
import { ItaError, TemporaryError } from '../../engine/errors.ts';
import type { Embedder } from '../types.ts';

export interface RemoteEmbedderOptions {
  kind: 'openai' | 'ollama';
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Texts per request; providers cap batch sizes. */
  batchSize?: number;
  fetch?: typeof fetch;
}

export class RemoteEmbedder implements Embedder {
  readonly id: string;
  private dims = 0;

  constructor(private readonly options: RemoteEmbedderOptions) {
    this.id = `${options.kind}:${options.model}`;
  }

  /** 0 until the first call has answered; `probe()` fills it. */
  get dimensions(): number {
    return this.dims;
  }

  async probe(): Promise<number> {
    if (this.dims === 0) await this.embed(['dimension probe']);
    return this.dims;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const batch = this.options.batchSize ?? 64;
    for (let i = 0; i < texts.length; i += batch) out.push(...(await this.request(texts.slice(i, i + batch))));
    return out;
  }

  private async request(texts: string[]): Promise<Float32Array[]> {
    const { kind, model, apiKey } = this.options;
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const url = kind === 'openai' ? `${base}/embeddings` : `${base}/api/embed`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, input: texts }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (cause) {
      throw new TemporaryError(`embedding endpoint ${url} unreachable: ${(cause as Error).message}`, { value: url }, { cause });
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      const ErrorClass = response.status >= 500 || response.status === 429 ? TemporaryError : ItaError;
      throw new ErrorClass(`embedding endpoint ${url} answered HTTP ${response.status}: ${body}`, { value: url });
    }
    const json = (await response.json().catch(() => undefined)) as
      | { data?: Array<{ embedding?: number[]; index?: number }>; embeddings?: number[][] }
      | undefined;
    const vectors =
      kind === 'openai'
        ? json?.data?.slice().sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding)
        : json?.embeddings;
    if (!vectors || vectors.length !== texts.length || vectors.some((v) => !Array.isArray(v) || v.length === 0)) {
      throw new ItaError(`embedding endpoint ${url} returned ${vectors?.length ?? 'no'} vectors for ${texts.length} texts`, { value: url });
    }
    const dims = vectors[0]!.length;
    if (vectors.some((v) => v!.length !== dims) || (this.dims !== 0 && dims !== this.dims)) {
      throw new ItaError(`embedding endpoint ${url} returned vectors of inconsistent length (${dims}, expected ${this.dims || dims})`, { value: url });
    }
    this.dims = dims;
    return vectors.map((v) => normalize(Float32Array.from(v!)));
  }
}

function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
