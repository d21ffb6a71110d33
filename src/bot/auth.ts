/**
 * The one authorization filter, installed before anything else: only allow-listed users get any answer or action,
 * in private chats or in explicitly allowed groups. Everything else is dropped silently (no reply, no callback
 * answer) so a stranger learns nothing, and logged with the user id only.
 */
import type { Context, MiddlewareFn } from 'grammy';
import type { Logger } from '../logger.ts';

export interface AuthOptions {
  allowedUserIds: number[];
  allowedChatIds: number[];
}

export function authorizationFilter(options: AuthOptions, logger: Logger): MiddlewareFn<Context> {
  const users = new Set(options.allowedUserIds);
  const groups = new Set(options.allowedChatIds);
  return async (ctx, next) => {
    const userId = ctx.from?.id;
    const chat = ctx.chat;
    const userAllowed = userId !== undefined && users.has(userId);
    const chatAllowed = chat === undefined || chat.type === 'private' || groups.has(chat.id);
    if (userAllowed && chatAllowed) return next();
    logger.warn('dropped update from an unauthorized sender', { userId: userId ?? 'none' });
  };
}
