/**
 * Embeddings in both directions between ITA and LangChain. Any LangChain `Embeddings` (OllamaEmbeddings,
 * OpenAIEmbeddings, HuggingFace…) becomes an ITA `Embedder` for the knowledge base's vector index, and ITA's
 * offline n-gram embedder is a LangChain `Embeddings`, so LangChain vector stores can be built over it.
 */
import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { ItaError } from '../../engine/errors.ts';
import type { Embedder } from '../types.ts';

export class LangChainEmbedder implements Embedder {
  readonly id: string;
  private dims = 0;

  /** `id` names the model (e.g. "ollama:bge-m3"): an index built by another model is rebuilt, never mixed. */
  constructor(
    private readonly embeddings: EmbeddingsInterface,
    id: string,
  ) {
    this.id = `langchain:${id}`;
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
    if (texts.length === 0) return [];
    const vectors = await this.embeddings.embedDocuments(texts);
    if (vectors.length !== texts.length) throw new ItaError(`embedding model ${this.id} returned ${vectors.length} vectors for ${texts.length} texts`, { value: this.id });
    const dims = vectors[0]?.length ?? 0;
    if (dims === 0 || vectors.some((v) => v.length !== dims) || (this.dims !== 0 && dims !== this.dims)) {
      throw new ItaError(`embedding model ${this.id} returned vectors of inconsistent length (${dims}, expected ${this.dims || dims})`, { value: this.id });
    }
    this.dims = dims;
    // The index compares by inner product: unit vectors make that the cosine whatever the model's own scale.
    return vectors.map((v) => normalize(Float32Array.from(v)));
  }
}

/** ITA's embedder as a LangChain `Embeddings`. */
export class ItaEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return (await this.embedder.embed(documents)).map((v) => Array.from(v));
  }

  async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([document]);
    return Array.from(vector);
  }
}

export function isLangChainEmbeddings(value: unknown): value is EmbeddingsInterface {
  return typeof (value as EmbeddingsInterface)?.embedDocuments === 'function' && typeof (value as EmbeddingsInterface)?.embedQuery === 'function';
}

function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}
