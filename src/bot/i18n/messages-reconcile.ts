/**
 * Texts of the live reconciliation report (ITA's books against the exchange), merged into the one catalog by
 * i18n/index.ts. Same rules as messages.ts: {placeholders}, values HTML-escaped by the caller.
 */
export const reconcileMessages = {
  'rec.trigger.start-up': { en: 'start-up', ru: 'запуск' },
  'rec.trigger.reconnect': { en: 'after the reconnect', ru: 'после восстановления связи' },
  'rec.resumed': {
    en: '✅ <b>Exchange reachable again</b> (unreachable since {time} UTC, when ITA started): books compared, <b>new entries resume</b>.',
    ru: '✅ <b>Биржа снова доступна</b> (была недоступна с {time} UTC, с момента запуска): учёт сверен, <b>новые входы возобновлены</b>.',
  },
  'rec.match': {
    en: '✅ <b>Books match the exchange</b> ({trigger}): {positions} open positions, {orders} open orders.',
    ru: '✅ <b>Учёт совпадает с биржей</b> ({trigger}): открытых позиций {positions}, открытых ордеров {orders}.',
  },
  'rec.header': {
    en: '⚠️ <b>Books and exchange differ</b> ({trigger}): {count}. Nothing was overwritten: ITA took the exchange’s word on its own orders and touched nothing else, except that a position is never left without a stop. Please check each point:',
    ru: '⚠️ <b>Учёт и биржа расходятся</b> ({trigger}): {count}. Ничего не перезаписано: о своих ордерах ITA принял данные биржи и больше ничего не трогал — кроме того, что позиция никогда не остаётся без стопа. Проверьте каждый пункт:',
  },
  'rec.count': { en: '{n} differences', ru: 'расхождений: {n}' },
  'rec.diff.missing': {
    en: '• {role} order <code>{id}</code> ({side} {amount} {symbol}) is {status} in ITA’s books, but the exchange does not know it',
    ru: '• ордер ({role}) <code>{id}</code> ({side} {amount} {symbol}) в учёте ITA {status}, но биржа его не знает',
  },
  'rec.diff.state': {
    en: '• {role} order <code>{id}</code> ({symbol}): ITA’s books say {status}, {filled}/{amount} filled; the exchange says {venueStatus}, {venueFilled}/{venueAmount} filled',
    ru: '• ордер ({role}) <code>{id}</code> ({symbol}): в учёте ITA {status}, исполнено {filled}/{amount}; на бирже {venueStatus}, исполнено {venueFilled}/{venueAmount}',
  },
  'rec.diff.unknown': {
    en: '• the exchange has an open order <code>{id}</code> on {symbol} ({amount}) that ITA did not place; ITA leaves it alone',
    ru: '• на бирже открыт ордер <code>{id}</code> по {symbol} ({amount}), который ITA не выставлял; ITA его не трогает',
  },
  'rec.diff.balance': {
    en: '• open positions hold {amount} {asset}, but the account has {held} {asset}',
    ru: '• открытые позиции держат {amount} {asset}, а на счёте {held} {asset}',
  },
  'rec.diff.unprotected': {
    en: '• position {symbol} ({amount}) had no stop open on the exchange',
    ru: '• у позиции {symbol} ({amount}) не было стопа на бирже',
  },
  'rec.diff.other': { en: '• {text}', ru: '• {text}' },
  'rec.more': { en: '• … and {n} more (all of them are in the log)', ru: '• … и ещё {n} (все они в журнале)' },
  'rec.now': { en: '<b>Now</b>:', ru: '<b>Сейчас</b>:' },
  'rec.position.protected': {
    en: '• {symbol}: {amount} held, stop {stop} resting on the exchange (<code>{id}</code>)',
    ru: '• {symbol}: держим {amount}, стоп {stop} стоит на бирже (<code>{id}</code>)',
  },
  'rec.position.unprotected': {
    en: '• {symbol}: {amount} held, <b>NO stop on the exchange</b>: /positions, then move the stop or close',
    ru: '• {symbol}: держим {amount}, <b>НЕТ стопа на бирже</b>: /positions, затем передвиньте стоп или закройте',
  },
  'rec.role.entry': { en: 'entry', ru: 'вход' },
  'rec.role.stop': { en: 'stop', ru: 'стоп' },
  'rec.role.take-profit': { en: 'take-profit', ru: 'тейк-профит' },
  'rec.role.exit': { en: 'exit', ru: 'выход' },
  'rec.status.pending': { en: 'pending', ru: 'ожидает отправки' },
  'rec.status.open': { en: 'open', ru: 'открыт' },
  'rec.status.filled': { en: 'filled', ru: 'исполнен' },
  'rec.status.canceled': { en: 'canceled', ru: 'отменён' },
  'rec.status.rejected': { en: 'rejected', ru: 'отклонён' },
  'rec.side.buy': { en: 'buy', ru: 'покупка' },
  'rec.side.sell': { en: 'sell', ru: 'продажа' },
} as const;
