import { describe, expect, it } from 'vitest';
import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';
import { createChatModel } from '../../../src/knowledge/llm/providers.ts';
import { createLlmLayer } from '../../../src/knowledge/llm/index.ts';

const base = { timeoutMs: 1000, inputPricePerMTok: 0, outputPricePerMTok: 0 };

describe('providers by configuration', () => {
  it('builds ChatOpenAI for OpenAI-compatible hosts with the custom base URL and no LangChain retries', () => {
    const chat = createChatModel({ ...base, name: 'deepseek', kind: 'openai', baseUrl: 'https://api.deepseek.com/v1', model: 'deepseek-chat', apiKey: 'sk-x' });
    expect(chat).toBeInstanceOf(ChatOpenAI);
    const openai = chat as ChatOpenAI;
    expect(openai.model).toBe('deepseek-chat');
    expect(openai.clientConfig.baseURL).toBe('https://api.deepseek.com/v1');
    // The router owns retries; LangChain's AsyncCaller would otherwise retry 6 times on its own.
    expect((openai.caller as unknown as { maxRetries: number }).maxRetries).toBe(0);
  });

  it('builds ChatOllama for kind "ollama"', () => {
    const chat = createChatModel({ ...base, name: 'local', kind: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'qwen2.5:7b' });
    expect(chat).toBeInstanceOf(ChatOllama);
    expect((chat as ChatOllama).baseUrl).toBe('http://127.0.0.1:11434');
    expect((chat as ChatOllama).model).toBe('qwen2.5:7b');
  });

  it('no providers configured → no LLM layer (callers answer without an LLM)', () => {
    expect(createLlmLayer({ mode: 'single', providers: [], dailyBudgetUsd: 1, commentBudgetMs: 4000 })).toBeNull();
  });
});
