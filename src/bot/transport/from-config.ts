/** The bot's transport from the telegram.* configuration: a webhook when telegram.webhookUrl is set, else polling. */
import type { Config } from '../../config.ts';
import type { CreateBotOptions } from '../create-bot.ts';

export function transportFromConfig(telegram: Config['telegram']): NonNullable<CreateBotOptions['transport']> {
  if (!telegram.webhookUrl || !telegram.webhookSecret) return { mode: 'polling' };
  return { mode: 'webhook', url: telegram.webhookUrl, secretToken: telegram.webhookSecret, host: telegram.webhookHost, port: telegram.webhookPort };
}
