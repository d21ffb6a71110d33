/**
 * Texts of the transport layer (buttons, long content, deliveries, refusals of typed input), merged into the one
 * catalog by i18n/index.ts. Same rules as messages.ts: {placeholders}, values HTML-escaped by the caller.
 */
export const transportMessages = {
  'tx.button.stale': { en: 'This button is no longer valid (an old message, or the bot was updated). Send the command again.', ru: 'Эта кнопка больше не действует (старое сообщение или бот обновился). Отправьте команду заново.' },
  'tx.button.working': { en: '⏳ Working on it…', ru: '⏳ Выполняю…' },
  'tx.settings.already': { en: 'Already selected: {value}', ru: 'Уже выбрано: {value}' },
  'tx.settings.quietSame': {
    en: 'Quiet hours must start and end at different times; got “{value}”. Write HH:MM-HH:MM with two different times, e.g. 22:00-07:00, or “off”.',
    ru: 'Тихие часы должны начинаться и заканчиваться в разное время; получено «{value}». Пишите ЧЧ:ММ-ЧЧ:ММ с двумя разными временами, например 22:00-07:00, или «off».',
  },
  'tx.setup.badStep': {
    en: '{name} moves in steps of {step} from {min} to {max}; got {value}. Allowed: {allowed}.',
    ru: '{name} меняется с шагом {step} от {min} до {max}; получено {value}. Допустимо: {allowed}.',
  },
  'tx.setup.refused': {
    en: 'The setup refused {name} = {value}: {reason}\nAllowed: {allowed}. Nothing was changed.',
    ru: 'Сетап не принял {name} = {value}: {reason}\nДопустимо: {allowed}. Ничего не изменено.',
  },
  'tx.chart.noData': {
    en: 'No chart for {market}: there are not enough stored candles ({have}). Stored markets: {list}. Watch it first: /watch {symbol} {timeframe}',
    ru: 'Нет графика для {market}: сохранённых свечей недостаточно ({have}). Есть данные: {list}. Сначала начните наблюдение: /watch {symbol} {timeframe}',
  },
  'tx.refused': { en: '⚠️ Refused: {reason}', ru: '⚠️ Отказ: {reason}' },
  'tx.backtest.tableFile': { en: '📎 {rows} rows: see {file}', ru: '📎 {rows} строк: см. {file}' },
  'tx.backtest.summaryFile': { en: '📎 The full summary is in {file}.', ru: '📎 Полная сводка — в файле {file}.' },
  'tx.upload.tooBigForBots': {
    en: '“{name}” is {size} MB. Telegram lets bots download files of at most {limit} MB (Bot API getFile), so I cannot read it. Split the file or compress it; a self-hosted Bot API server (telegram.apiRoot) lifts this limit.',
    ru: '«{name}» весит {size} МБ. Telegram разрешает ботам скачивать файлы не больше {limit} МБ (Bot API getFile), поэтому прочитать его я не могу. Разделите или сожмите файл; собственный сервер Bot API (telegram.apiRoot) снимает это ограничение.',
  },
  'tx.delivery.dropped': {
    en: '⚠️ <b>{count} message(s) could not be delivered</b> and were dropped:\n{list}\nSee /signals for the current ones.',
    ru: '⚠️ <b>Не удалось доставить сообщений: {count}</b>, они отброшены:\n{list}\nАктуальные сигналы: /signals.',
  },
  'tx.delivery.line': { en: '• {time} · {side} {symbol} {timeframe} · {setup} — {reason}', ru: '• {time} · {side} {symbol} {timeframe} · {setup} — {reason}' },
  'tx.delivery.expired': { en: 'expired while this chat was unreachable', ru: 'истёк, пока чат был недоступен' },
  'tx.delivery.expiredHeld': { en: 'expired before it could be sent (quiet hours or a backed-up queue)', ru: 'истёк, не дождавшись отправки (тихие часы или очередь)' },
  'tx.delivery.refused': { en: 'Telegram refused it ({error})', ru: 'Telegram отклонил его ({error})' },
  'tx.delivery.more': { en: '… and {count} more', ru: '… и ещё {count}' },
} as const;
