/**
 * Telegram's flood control, approximately: about one message per second per chat (short bursts tolerated) and
 * about 30 per second overall; beyond that a call answers 429 "Too Many Requests: retry after N" with
 * parameters.retry_after. Token buckets model "bursts tolerated, sustained rate limited". Tests that do not
 * exercise pacing switch it off or raise the limits (see BotApiEmulatorOptions.flood).
 */
import { tooManyRequests } from './api-error.ts';

export interface FloodLimits {
  /** Sustained messages per second in one chat, and how many may come at once. */
  perChatPerSecond: number;
  perChatBurst: number;
  /** Sustained messages per second over all chats, and the burst. */
  globalPerSecond: number;
  globalBurst: number;
}

export const TELEGRAM_FLOOD_LIMITS: FloodLimits = { perChatPerSecond: 1, perChatBurst: 5, globalPerSecond: 30, globalBurst: 30 };

/** Methods that put something into a chat; answers, chat actions and reads are not flood-limited this way. */
const COUNTED = /^(send(Message|Photo|Document|MediaGroup|Video|Audio|Animation|Voice|Sticker|Location|Poll)|editMessage(Text|Caption|ReplyMarkup|Media)|copyMessage|forwardMessage)$/;

class Bucket {
  private tokens: number;
  private at: number;

  constructor(private readonly rate: number, private readonly capacity: number, now: number) {
    this.tokens = capacity;
    this.at = now;
  }

  /** 0 when a token was taken, else the seconds until one is available. */
  take(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

export class FloodControl {
  private readonly chats = new Map<number, Bucket>();
  private readonly global: Bucket;

  constructor(private readonly limits: FloodLimits, private readonly now: () => number) {
    this.global = new Bucket(limits.globalPerSecond, limits.globalBurst, now());
  }

  /** Throws Telegram's 429 when `method` to `chatId` would exceed the limits. */
  check(method: string, chatId: number | undefined): void {
    if (!COUNTED.test(method)) return;
    const now = this.now();
    if (chatId !== undefined) {
      let bucket = this.chats.get(chatId);
      if (!bucket) this.chats.set(chatId, (bucket = new Bucket(this.limits.perChatPerSecond, this.limits.perChatBurst, now)));
      const wait = bucket.take(now);
      if (wait > 0) throw tooManyRequests(wait);
    }
    const wait = this.global.take(now);
    if (wait > 0) throw tooManyRequests(wait);
  }
}
