/**
 * The subset of Bot API objects the emulator produces (snake_case, as Telegram sends them).
 * Kept local and loose on purpose: the emulator must be able to echo fields it does not interpret.
 */
export interface ApiUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface ApiChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  first_name?: string;
  last_name?: string;
  username?: string;
  title?: string;
}

export interface ApiMessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface ApiPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface ApiDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
}

export interface ApiInlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [extra: string]: unknown;
}

export interface ApiReplyMarkup {
  inline_keyboard?: ApiInlineButton[][];
  keyboard?: Array<Array<{ text: string; [extra: string]: unknown }>>;
  remove_keyboard?: boolean;
  force_reply?: boolean;
  [extra: string]: unknown;
}

export interface ApiMessage {
  message_id: number;
  date: number;
  chat: ApiChat;
  from?: ApiUser;
  edit_date?: number;
  text?: string;
  entities?: ApiMessageEntity[];
  caption?: string;
  caption_entities?: ApiMessageEntity[];
  photo?: ApiPhotoSize[];
  document?: ApiDocument;
  reply_markup?: ApiReplyMarkup;
  reply_to_message?: ApiMessage;
}

export interface ApiCallbackQuery {
  id: string;
  from: ApiUser;
  message?: ApiMessage;
  chat_instance: string;
  data?: string;
}

export interface ApiUpdate {
  update_id: number;
  message?: ApiMessage;
  edited_message?: ApiMessage;
  callback_query?: ApiCallbackQuery;
}

export interface ApiBotCommand {
  command: string;
  description: string;
}

export interface ApiFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
}
