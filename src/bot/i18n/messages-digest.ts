/**
 * Texts of a burst digest (many signals at one close in one message), merged into the one catalog by i18n/index.ts.
 * Same rules as messages.ts: {placeholders}, values HTML-escaped by the caller.
 */
export const digestMessages = {
  'digest.title': { en: '⚡ <b>{total} signals at one close</b>, best first.', ru: '⚡ <b>Сигналов на одном закрытии: {total}</b>, лучшие первыми.' },
  'digest.titlePage': { en: '⚡ <b>Signals {from}–{to} of {total}</b> at one close.', ru: '⚡ <b>Сигналы {from}–{to} из {total}</b> на одном закрытии.' },
  'digest.line': {
    en: '{n}. {icon} <b>{symbol}</b> {timeframe} {side} · {setup} · score {score} · net R:R {rr} · until {until}',
    ru: '{n}. {icon} <b>{symbol}</b> {timeframe} {side} · {setup} · оценка {score} · чистый R:R {rr} · до {until}',
  },
  'digest.lineGross': {
    en: '{n}. {icon} <b>{symbol}</b> {timeframe} {side} · {setup} · score {score} · R:R {rr} before costs · until {until}',
    ru: '{n}. {icon} <b>{symbol}</b> {timeframe} {side} · {setup} · оценка {score} · R:R {rr} без издержек · до {until}',
  },
  'digest.cardsFollow': { en: 'The card of #1 with Approve / Reject follows.', ru: 'Карточка №1 с кнопками «Принять / Отклонить» — следующим сообщением.' },
  'digest.cardsFollowMany': { en: 'Cards of #1–#{count} with Approve / Reject follow.', ru: 'Карточки №1–№{count} с кнопками «Принять / Отклонить» — следующими сообщениями.' },
  'digest.tap': { en: 'Tap a number for its chart and Approve / Reject. Times are {zone}.', ru: 'Нажмите номер, чтобы открыть график и кнопки «Принять / Отклонить». Время — {zone}.' },
  'digest.opening': { en: '📊 Opening {symbol} {timeframe}…', ru: '📊 Открываю {symbol} {timeframe}…' },
  'digest.expired': { en: 'This signal expired at {time}: it is no advice any more.', ru: 'Срок этого сигнала истёк в {time}: это уже не рекомендация.' },
} as const;
