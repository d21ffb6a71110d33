import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

describe('logger', () => {
  it('never writes a known secret, even when a caller passes it', () => {
    const lines: string[] = [];
    const logger = createLogger({ secrets: ['123456:SECRET-TOKEN'], write: (l) => lines.push(l) });
    logger.error('telegram failed', { url: 'https://api.telegram.org/bot123456:SECRET-TOKEN/getMe' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('SECRET-TOKEN');
    expect(lines[0]).toContain('***');
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((l) => l.includes('loud'))).toEqual([true]);
  });
});
