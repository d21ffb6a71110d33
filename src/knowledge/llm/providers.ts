/**
 * Chat models through LangChain, configured by name: any OpenAI-compatible API (OpenAI, DeepSeek, Qwen's compatible
 * hosts, llama.cpp / vLLM / LM Studio servers) through ChatOpenAI with a custom baseURL, and Ollama natively.
 * LangChain's own retries are switched off: the router owns retries, backoff and fallback.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';
import type { LlmProviderConfig } from '../../config.ts';

export interface RoutedProvider {
  name: string;
  model: string;
  chat: BaseChatModel;
  timeoutMs: number;
  /** USD per 1M tokens. */
  inputPricePerMTok: number;
  outputPricePerMTok: number;
}

export function createChatModel(provider: LlmProviderConfig): BaseChatModel {
  if (provider.kind === 'ollama') {
    return new ChatOllama({ model: provider.model, baseUrl: provider.baseUrl, maxRetries: 0, temperature: 0.2 });
  }
  return new ChatOpenAI({
    model: provider.model,
    // Local OpenAI-compatible servers accept any key, but the client refuses to start without one.
    apiKey: provider.apiKey ?? 'no-key',
    maxRetries: 0,
    temperature: 0.2,
    configuration: { baseURL: provider.baseUrl },
  });
}

export function routedProviders(providers: LlmProviderConfig[]): RoutedProvider[] {
  return providers.map((p) => ({
    name: p.name,
    model: p.model,
    chat: createChatModel(p),
    timeoutMs: p.timeoutMs,
    inputPricePerMTok: p.inputPricePerMTok,
    outputPricePerMTok: p.outputPricePerMTok,
  }));
}
