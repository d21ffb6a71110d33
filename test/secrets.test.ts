import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../src/secrets.ts';
import { createLogger } from '../src/logger.ts';

const KEY = 'sk-proj-Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHh';

describe('maskSecrets', () => {
  it('masks a Bearer header, an OpenAI-style key and key=value pairs, wherever they come from', () => {
    const text = `401 Incorrect API key provided: Bearer ${KEY}. url=https://x/y?api_key=abc123456&signature=deadbeef01 key ${KEY}`;
    const masked = maskSecrets(text);
    expect(masked).not.toContain('Q1w2E3r4');
    expect(masked).not.toContain('abc123456');
    expect(masked).not.toContain('deadbeef01');
    expect(masked).toContain('Bearer ***');
    expect(masked).toContain('api_key=***');
  });

  it('masks the known secrets of the installation exactly', () => {
    expect(maskSecrets('telegram 123456:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra failed', ['123456:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra'])).toBe('telegram *** failed');
  });

  it('leaves ordinary text and counters alone', () => {
    const text = 'inputTokens=12 outputTokens=3 tokens=5 secrets=2 the risk-reward is 2.5';
    expect(maskSecrets(text)).toBe(text);
  });

  it('the logger masks credential shapes it was not told about', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l) }).error('llm failed', { error: `Incorrect API key provided: Bearer ${KEY}` });
    expect(lines[0]).not.toContain('Q1w2E3r4');
  });
});
