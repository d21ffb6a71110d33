import { ConfigError } from '../../engine/errors.ts';
import type { Embedder } from '../types.ts';
import type { EmbeddingConfig } from '../index.ts';
import { LocalHashEmbedder } from './local.ts';
import { RemoteEmbedder } from './remote.ts';

/** Builds the embedder that `knowledge.embedding` in the config selects; local unless told otherwise. */
export async function createEmbedder(config: EmbeddingConfig | Embedder | undefined): Promise<Embedder> {
  if (config === undefined) return new LocalHashEmbedder();
  if ('embed' in config) return config;
  if (config.kind === 'local') return new LocalHashEmbedder(config.dimensions);
  const remote = new RemoteEmbedder(config);
  await remote.probe();
  return remote;
}

export interface KnowledgeEmbeddingSettings {
  embedding: 'local' | 'openai' | 'ollama';
  embeddingModel?: string;
  embeddingBaseUrl?: string;
}

/** Maps the `knowledge.*` configuration keys to an embedding choice, refusing a remote one without model or URL. */
export function embeddingFromConfig(settings: KnowledgeEmbeddingSettings, apiKey?: string): EmbeddingConfig {
  if (settings.embedding === 'local') return { kind: 'local' };
  const { embeddingModel: model, embeddingBaseUrl: baseUrl } = settings;
  if (!model || !baseUrl) {
    throw new ConfigError(`knowledge.embedding is "${settings.embedding}" but knowledge.embeddingModel and knowledge.embeddingBaseUrl are not both set`, {
      field: 'knowledge.embedding',
      value: settings.embedding,
    });
  }
  return settings.embedding === 'openai' ? { kind: 'openai', baseUrl, model, apiKey } : { kind: 'ollama', baseUrl, model };
}
