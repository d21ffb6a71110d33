/** telegram.* deployment keys: webhook mode needs an HTTPS URL and a secret; the API root is an http(s) URL. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf } from '../../../src/config.ts';
import { transportFromConfig } from '../../../src/bot/transport/from-config.ts';

const cwd = () => mkdtempSync(path.join(os.tmpdir(), 'ita-deploy-'));

describe('deployment configuration', () => {
  it('long polling and the cloud Bot API by default', () => {
    const config = loadConfig({ env: {}, cwd: cwd() });
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(transportFromConfig(config.telegram)).toEqual({ mode: 'polling' });
  });

  it('webhook mode from the environment, the secret kept out of logs', () => {
    const config = loadConfig({
      env: { ITA_WEBHOOK_URL: 'https://bot.example.com/tg', ITA_WEBHOOK_SECRET: 's3cret_value', ITA_WEBHOOK_PORT: '9000', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' },
      cwd: cwd(),
    });
    expect(transportFromConfig(config.telegram)).toEqual({ mode: 'webhook', url: 'https://bot.example.com/tg', secretToken: 's3cret_value', host: '127.0.0.1', port: 9000 });
    expect(config.telegram.apiRoot).toBe('http://127.0.0.1:8081');
    expect(secretsOf(config)).toContain('s3cret_value');
  });

  it('clear errors: webhook without a secret, http webhook, bad secret, API root with a trailing slash', () => {
    const fails = (env: Record<string, string>) => {
      try {
        loadConfig({ env, cwd: cwd() });
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(fails({ ITA_WEBHOOK_URL: 'https://bot.example.com/tg' })).toContain('telegram.webhookSecret: webhook mode needs telegram.webhookSecret (ITA_WEBHOOK_SECRET)');
    expect(fails({ ITA_WEBHOOK_URL: 'http://bot.example.com/tg', ITA_WEBHOOK_SECRET: 'x' })).toContain('telegram.webhookUrl: must be an https:// URL');
    expect(fails({ ITA_WEBHOOK_URL: 'https://bot.example.com/tg', ITA_WEBHOOK_SECRET: 'no spaces allowed' })).toContain('telegram.webhookSecret: must be 1–256 characters');
    expect(fails({ TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' })).toContain('telegram.apiRoot: must be an http(s) URL without a trailing slash (from environment variable TELEGRAM_API_ROOT)');
  });
});
