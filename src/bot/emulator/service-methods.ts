/**
 * Bot API methods around messages: identity, updates, webhook, commands, callbacks, files, chat actions.
 */
import type { ApiBotCommand, ApiFile } from './api-types.ts';
import { badRequest, conflict } from './api-error.ts';
import { commandKey, type EmulatorState } from './emulator-state.ts';
import type { MethodHandler } from './message-methods.ts';
import { optionalBool, optionalInt, optionalJson, optionalString, type RequestParams } from './request-params.ts';

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

export function serviceMethods(state: EmulatorState): Record<string, MethodHandler> {
  const scopeOf = (params: RequestParams) => optionalJson<Record<string, unknown>>(params, 'scope') ?? { type: 'default' };
  return {
    getMe: () => ({ ...state.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
    getUpdates: (params, signal) => {
      if (state.settings.webhookUrl) throw conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      return state.queue.poll(
        {
          offset: optionalInt(params, 'offset'),
          limit: optionalInt(params, 'limit'),
          timeoutSeconds: optionalInt(params, 'timeout'),
          allowedUpdates: optionalJson<string[]>(params, 'allowed_updates'),
        },
        signal,
      );
    },
    setWebhook: (params) => {
      const url = optionalString(params, 'url') ?? '';
      const local = state.allowHttpWebhook && /^http:\/\/127\.0\.0\.1[:/]/.test(url);
      if (url && !/^https:\/\//.test(url) && !local) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = optionalString(params, 'secret_token') ?? '';
      if (secret && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('bad webhook: secret token contains unallowed characters');
      state.settings.webhookUrl = url;
      state.settings.webhookSecret = secret;
      state.webhookChanged();
      if (optionalBool(params, 'drop_pending_updates')) state.queue.clear();
      return true;
    },
    deleteWebhook: (params) => {
      state.settings.webhookUrl = '';
      state.settings.webhookSecret = '';
      if (optionalBool(params, 'drop_pending_updates')) state.queue.clear();
      return true;
    },
    getWebhookInfo: () => ({ url: state.settings.webhookUrl, has_custom_certificate: false, pending_update_count: state.queue.pendingCount }),
    getChat: (params) => state.chatForBot(optionalInt(params, 'chat_id')).chat,
    setMyCommands: (params) => {
      const commands = optionalJson<ApiBotCommand[]>(params, 'commands');
      if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
      if (commands.length > 100) throw badRequest('too many commands');
      for (const entry of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(String(entry?.command ?? ''))) throw badRequest('BOT_COMMAND_INVALID');
        const size = String(entry?.description ?? '').length;
        if (size < 1 || size > 256) throw badRequest('command description must be 1-256 characters');
      }
      const scope = scopeOf(params);
      const languageCode = optionalString(params, 'language_code') ?? '';
      state.commandSets.set(commandKey(scope, languageCode), {
        scope,
        language_code: languageCode,
        commands: commands.map(({ command, description }) => ({ command, description })),
      });
      state.emit({ type: 'commands' });
      return true;
    },
    getMyCommands: (params) => state.commandsFor(scopeOf(params), optionalString(params, 'language_code') ?? '') ?? [],
    deleteMyCommands: (params) => {
      state.commandSets.delete(commandKey(scopeOf(params), optionalString(params, 'language_code') ?? ''));
      state.emit({ type: 'commands' });
      return true;
    },
    answerCallbackQuery: (params) => {
      const id = optionalString(params, 'callback_query_id') ?? '';
      const pending = state.pendingCallbacks.get(id);
      const expired = pending?.pressedAt !== undefined && state.now() - pending.pressedAt > state.callbackTimeoutMs;
      if (!pending || pending.answered || expired) throw badRequest('query is too old and response timeout expired or query ID is invalid');
      const text = optionalString(params, 'text');
      if (text && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
      pending.answered = true;
      const answer = {
        callback_query_id: id,
        ...(text ? { text } : {}),
        ...(optionalBool(params, 'show_alert') ? { show_alert: true } : {}),
        ...(optionalString(params, 'url') ? { url: optionalString(params, 'url') } : {}),
        ...(optionalInt(params, 'cache_time') !== undefined ? { cache_time: optionalInt(params, 'cache_time') } : {}),
        ...(pending.data !== undefined ? { data: pending.data } : {}),
        ...(pending.chatId !== undefined ? { chatId: pending.chatId } : {}),
        ...(pending.pressedAt !== undefined ? { latencyMs: state.now() - pending.pressedAt } : {}),
      };
      state.callbackAnswers.push(answer);
      state.emit({ type: 'callback_answer', answer });
      return true;
    },
    getFile: (params): ApiFile => {
      const file = state.files.byId(optionalString(params, 'file_id') ?? '');
      if (!file) throw badRequest('invalid file_id');
      // The cloud Bot API serves bots files of at most 20 MB; a local telegram-bot-api server has no such limit.
      if (file.bytes.length > state.maxDownloadBytes) throw badRequest('file is too big');
      return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath };
    },
    sendChatAction: (params) => {
      const record = state.chatForBot(optionalInt(params, 'chat_id'));
      const action = optionalString(params, 'action') ?? '';
      if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
      state.emit({ type: 'chat_action', chatId: record.chat.id, action });
      return true;
    },
    setChatMenuButton: (params) => {
      state.settings.menuButton = optionalJson<Record<string, unknown>>(params, 'menu_button') ?? { type: 'default' };
      return true;
    },
    getChatMenuButton: () => state.settings.menuButton,
  };
}
