/**
 * Drives the shipped application in live mode against the exchange fake, for the live end-to-end tests: start and
 * restart (the web chat keeps its history, so "new" messages are the ones after the last stop), the owner's bot
 * messages as plain text, a command and its reply, the start-up reconciliation report, and polling exchange state.
 */
import type { Config } from '../../src/config.ts';
import { createLogger, silentLogger } from '../../src/logger.ts';
import { startIta, type RunningIta, type StartOverrides } from '../../src/main.ts';
import type { TranscriptMessage } from '../../src/bot/emulator/index.ts';
import type { ExchangeFake } from '../helpers/exchange-fake.ts';

export const OWNER = 100001;

/** Re-checks `probe` until it gives a value (exchange-side state changes without an emulator event). */
export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const textOf = (m: TranscriptMessage) => (m.text ?? m.caption ?? '').replace(/<[^>]+>/g, '');

/** The environment of an app on the exchange fake: its own data dir, the web chat on a free port, no scheduled reports. */
export function exchangeAppEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ITA_DATA_DIR: dataDir, ITA_WEBCHAT_PORT: '0', ITA_LOG_FILES: 'false', ITA_LANGUAGE: 'en', ITA_MARKET: 'exchange',
    ITA_REPORT_DAILY: 'off', ITA_REPORT_WEEKLY: 'off', ITA_REPORT_MONTHLY: 'off', ...extra,
  };
}

/** Live mode with (fake) exchange keys and the deterministic test setup (a long on every green 1h candle). */
export const LIVE_GREEN_BAR_ENV = {
  ITA_MODE: 'live', ITA_EXCHANGE_API_KEY: 'test-key', ITA_EXCHANGE_SECRET: 'test-secret', ITA_MIN_SCORE: '0',
};

export class LiveApp {
  ita: RunningIta | undefined;
  /** Messages of the previous run. */
  private before = new Set<number>();

  constructor(private readonly config: () => Config, private readonly fake: () => ExchangeFake) {}

  async start(overrides: Omit<StartOverrides, 'now' | 'gateway'> = {}): Promise<RunningIta> {
    this.ita = await startIta(this.config(), process.env.ITA_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger, {
      ...overrides,
      now: () => this.fake().now(),
      // Retries without real sleeps: a fault costs one request per attempt.
      gateway: { urlsOverride: this.fake().url, enableRateLimit: false, timeoutMs: 3_000, retry: { sleep: async () => undefined } },
    });
    return this.ita;
  }

  async stop(): Promise<void> {
    if (this.ita) this.before = new Set(this.botMessages().map((m) => m.message_id));
    await this.ita?.stop();
    this.ita = undefined;
  }

  emulator() {
    return this.ita!.emulator!;
  }

  botMessages(): TranscriptMessage[] {
    return this.emulator().messages(OWNER).filter((m) => m.from?.is_bot);
  }

  /** The reconciliation report of the run just started. */
  startupReport(): Promise<TranscriptMessage> {
    return this.emulator().waitFor(
      () => this.botMessages().find((m) => !this.before.has(m.message_id) && /Books match the exchange|Books and exchange differ/.test(textOf(m))),
      30_000, 'the reconciliation report');
  }

  /** The first signal (chart with an Approve button) among the bot messages after the first `after`. */
  pushedSignal(after: number): Promise<TranscriptMessage> {
    return this.emulator().waitFor(
      () => this.botMessages().slice(after).find((m) => m.photo && m.reply_markup?.inline_keyboard?.flat().some((b) => /Approve/.test(b.text))),
      30_000, 'a pushed signal');
  }

  /** Presses Approve on that signal and returns the executor's verdict message. */
  async approvePushed(after: number): Promise<TranscriptMessage> {
    const signal = await this.pushedSignal(after);
    const button = signal.reply_markup!.inline_keyboard!.flat().find((b) => /Approve/.test(b.text)) as { callback_data: string };
    const from = this.botMessages().length;
    this.emulator().userPressButton(signal.message_id, button.callback_data);
    return this.emulator().waitFor(() => this.botMessages().slice(from).find((m) => /Approved and placed|Approved, but not placed/.test(textOf(m))), 30_000, 'the verdict');
  }

  /** Sends a command and returns the first new bot message that matches. */
  async ask(text: string, answer: RegExp): Promise<TranscriptMessage> {
    const from = this.botMessages().length;
    this.emulator().userSendText(this.emulator().owner, text);
    return this.emulator().waitFor(() => this.botMessages().slice(from).find((m) => answer.test(textOf(m))), 20_000, `reply to ${text} matching ${answer}`);
  }
}
