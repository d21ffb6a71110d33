/**
 * The engine's words, translated at the bot boundary. The engine (risk governor, executor, reports, scoring, services)
 * speaks English in fixed templates; each template is written here ONCE, in English exactly as the engine prints it,
 * with its Russian twin. The English template is also the pattern that recognises the text: `{name}` captures any
 * text, `{name:num}` a number, `{name:side}` / `{name:mode}` / `{name:market}` a value translated by its kind, and
 * `{name*}` a nested engine text that is translated again (a refusal's reason inside "Not placed: …").
 * Later the engine should emit these keys with parameters instead of sentences (see README "Languages"); until then a
 * test renders every template the engine's sources contain and fails on any this table does not recognise.
 */
import { LABEL_TEXTS } from './engine-texts-labels.ts';

export interface EngineTextEntry {
  key: string;
  en: string;
  ru: string;
}

const placement: EngineTextEntry[] = [
  { key: 'eng.refused', en: 'Not placed: {symbol} {side:side} ({setup}) — {rule}: {reason*}', ru: 'Не выставлено: {symbol} {side} ({setup}) — {rule}: {reason}' },
  {
    key: 'eng.placed',
    en: 'Placed ({mode:mode}): {symbol} {side:side} {units:num} units ({notional:num} notional), stop {stop:num}, risk {riskPct:num} % ({riskQuote:num}); {fill*}',
    ru: 'Выставлено ({mode}): {symbol} {side} {units} ед. (номинал {notional}), стоп {stop}, риск {riskPct} % ({riskQuote}); {fill}',
  },
  { key: 'eng.fill.tpNotes', en: '{how*}; take-profits {tps}. Notes: {notes*}', ru: '{how}; тейк-профиты {tps}. Примечания: {notes}' },
  { key: 'eng.fill.notes', en: '{how*}. Notes: {notes*}', ru: '{how}. Примечания: {notes}' },
  { key: 'eng.fill.tp', en: '{how*}; take-profits {tps}', ru: '{how}; тейк-профиты {tps}' },
  { key: 'eng.fill.filled', en: 'filled at {price:num}', ru: 'исполнено по {price}' },
  { key: 'eng.fill.exited', en: 'filled at {price:num}, then {reason*}', ru: 'исполнено по {price}, затем {reason}' },
  {
    key: 'eng.stopRefused',
    en: 'the venue refused the protective stop at {stop:num} ({message}); the fill was sold at market at once',
    ru: 'площадка отклонила защитный стоп {stop} ({message}); исполненный объём сразу продан по рынку',
  },
  { key: 'eng.fill.pending', en: 'entry order placed', ru: 'ордер на вход выставлен' },
  { key: 'eng.adopted', en: 'Placed before a restart and taken back under management: {symbol} {side:side} {units:num} units, stop {stop:num}', ru: 'Выставлено до перезапуска и снова под управлением: {symbol} {side} {units} ед., стоп {stop}' },
  { key: 'eng.expired', en: 'the signal expired at {time}', ru: 'срок сигнала истёк {time}' },
  { key: 'eng.pausedBy', en: 'trading is paused by {by}; /resume to continue', ru: 'торговля на паузе ({by}); продолжить: /resume' },
  { key: 'eng.paused', en: 'trading is paused; /resume to continue', ru: 'торговля на паузе; продолжить: /resume' },
  { key: 'eng.exchangeDownSince', en: 'the exchange is unreachable since {since} ({message}); no new entries until it recovers', ru: 'биржа недоступна с {since} ({message}); новых входов не будет, пока она не вернётся' },
  { key: 'eng.startupUnreachable', en: 'the start-up reconciliation could not reach the exchange: {message}', ru: 'сверка при запуске не смогла связаться с биржей: {message}' },
  { key: 'eng.exchangeDownNow', en: 'the exchange is unreachable ({message}); nothing was placed', ru: 'биржа недоступна ({message}); ничего не выставлено' },
  { key: 'eng.brokerRefused', en: 'the broker refused the entry: {message}', ru: 'брокер отклонил вход: {message}' },
  {
    key: 'eng.spotMin',
    en: 'spot account: the free {free:num} {quote} buys at most {units:num} units at {entry:num} (fees and slippage kept aside), below the market minimum',
    ru: 'спотовый счёт: на свободные {free} {quote} можно купить не больше {units} ед. по {entry} (с запасом на комиссии и проскальзывание), это ниже минимума рынка',
  },
  {
    key: 'eng.spot',
    en: 'spot account: the free {free:num} {quote} buys at most {units:num} units at {entry:num} (fees and slippage kept aside)',
    ru: 'спотовый счёт: на свободные {free} {quote} можно купить не больше {units} ед. по {entry} (с запасом на комиссии и проскальзывание)',
  },
  {
    key: 'eng.noPerpBroker',
    en: '{symbol} trades on a perp account but no {mode:mode} perp broker is configured',
    ru: '{symbol} торгуется на фьючерсном (perp) счёте, но {mode}-брокер для фьючерсов не настроен',
  },
  {
    key: 'eng.perpMin',
    en: 'perp account: the free margin {free:num} {quote} at {leverage:num}x holds at most {units:num} units at {entry:num} (fees and slippage kept aside), below the market minimum',
    ru: 'фьючерсный счёт: свободная маржа {free} {quote} при плече {leverage}x вмещает не больше {units} ед. по {entry} (с запасом на комиссии и проскальзывание), это ниже минимума рынка',
  },
  {
    key: 'eng.perp',
    en: 'perp account: the free margin {free:num} {quote} at {leverage:num}x holds at most {units:num} units at {entry:num} (fees and slippage kept aside)',
    ru: 'фьючерсный счёт: свободная маржа {free} {quote} при плече {leverage}x вмещает не больше {units} ед. по {entry} (с запасом на комиссии и проскальзывание)',
  },
  { key: 'eng.sizeReduced', en: 'size reduced to {units:num} units: {reason*}', ru: 'объём уменьшен до {units} ед.: {reason}' },
  {
    key: 'eng.belowMinimum',
    en: 'size {units:num} units (notional {notional:num}) is below the market minimum (amount {amount:num}, notional {minNotional:num}, step {step:num}) after {rules} limited it',
    ru: 'объём {units} ед. (номинал {notional}) ниже минимума рынка (количество {amount}, номинал {minNotional}, шаг {step}) после ограничений: {rules}',
  },
  {
    key: 'eng.belowMinimumPlain',
    en: 'size {units:num} units (notional {notional:num}) is below the market minimum (amount {amount:num}, notional {minNotional:num}, step {step:num})',
    ru: 'объём {units} ед. (номинал {notional}) ниже минимума рынка (количество {amount}, номинал {minNotional}, шаг {step})',
  },
];

const rules: EngineTextEntry[] = [
  {
    key: 'eng.cooldown',
    en: 'cooldown: setup {setup} lost {n:num} trades in a row (last at bar {bar:num}); it sits out {bars:num} bars, {since:num} passed, it may trade again from bar {again:num}',
    ru: 'пауза сетапа: {setup} проиграл {n} сделок подряд (последняя на баре {bar}); он пропускает {bars} баров, прошло {since}, снова торгует с бара {again}',
  },
  {
    key: 'eng.correlation',
    en: 'correlation: {symbol} moves with {n:num} open position(s) — {list*} — above |ρ| {threshold:num} over {days:num} days; at most {max:num} such positions',
    ru: 'корреляция: {symbol} движется вместе с открытыми позициями ({n}) — {list} — выше |ρ| {threshold} за {days} дн.; допустимо не больше {max} таких позиций',
  },
  { key: 'eng.correlation.unknown', en: '{symbol} (unknown: {n:num} daily returns < {min:num})', ru: '{symbol} (неизвестно: {n} дневных доходностей < {min})' },
  { key: 'eng.correlation.rho', en: '{symbol} (ρ {rho:num})', ru: '{symbol} (ρ {rho})' },
  { key: 'eng.dailyLossReached', en: "daily loss limit: today's PnL reached {pnl} ≤ −{limit:num} %; no new entries until {time}", ru: 'дневной лимит убытка: результат дня достиг {pnl} ≤ −{limit} %; новых входов не будет до {time}' },
  { key: 'eng.dailyLoss', en: "daily loss limit: today's PnL {pnl} ≤ −{limit:num} %; no new entries until {time}", ru: 'дневной лимит убытка: результат дня {pnl} ≤ −{limit} %; новых входов не будет до {time}' },
  { key: 'eng.entryPositive', en: 'entry must be a positive price (got {value})', ru: 'вход должен быть положительной ценой (получено {value})' },
  { key: 'eng.stopPositive', en: 'stop must be a positive price (got {value})', ru: 'стоп должен быть положительной ценой (получено {value})' },
  { key: 'eng.longStop', en: "a long's stop must be below its entry (stop {stop:num} ≥ entry {entry:num})", ru: 'стоп лонга должен быть ниже входа (стоп {stop} ≥ вход {entry})' },
  { key: 'eng.shortStop', en: "a short's stop must be above its entry (stop {stop:num} ≤ entry {entry:num})", ru: 'стоп шорта должен быть выше входа (стоп {stop} ≤ вход {entry})' },
  { key: 'eng.leverageMin', en: 'leverage must be at least 1 (got {value})', ru: 'плечо должно быть не меньше 1 (получено {value})' },
  { key: 'eng.marketMismatch', en: 'market data is for {market}, the intent is for {symbol}', ru: 'рыночные данные относятся к {market}, а заявка к {symbol}' },
  { key: 'eng.noLastPrice', en: 'no valid last price for {symbol} (got {value})', ru: 'нет действительной последней цены {symbol} (получено {value})' },
  { key: 'eng.equityPositive', en: 'equity must be positive to size a trade (got {value})', ru: 'для расчёта объёма капитал должен быть положительным (получено {value})' },
  {
    key: 'eng.killSwitchAt',
    en: 'kill switch: equity {dd} over {hours:num} h (peak {peak:num} → {equity:num}) ≤ −{limit:num} % at {time}; everything is paused until you send /resume and confirm',
    ru: 'аварийный стоп: капитал {dd} за {hours} ч (пик {peak} → {equity}) ≤ −{limit} % в {time}; всё на паузе, пока вы не отправите /resume и не подтвердите',
  },
  {
    key: 'eng.killSwitch',
    en: 'kill switch: equity {dd} over {hours:num} h (peak {peak:num} → {equity:num}) ≤ −{limit:num} %; everything is paused until you send /resume and confirm',
    ru: 'аварийный стоп: капитал {dd} за {hours} ч (пик {peak} → {equity}) ≤ −{limit} %; всё на паузе, пока вы не отправите /resume и не подтвердите',
  },
  { key: 'eng.leverageUsed', en: 'leverage cap: open notional {used:num} is already {x:num}× equity ≥ {cap:num}×', ru: 'лимит плеча: открытый номинал {used} уже {x}× капитала ≥ {cap}×' },
  { key: 'eng.leverageNote', en: 'leverage {lev:num}×: notional at most {max:num} (equity × {lev2:num})', ru: 'плечо {lev}×: номинал не больше {max} (капитал × {lev2})' },
  { key: 'eng.leverageCapNote', en: 'leverage cap: total notional at most {max:num} ({cap:num}× equity), {used:num} already open', ru: 'лимит плеча: общий номинал не больше {max} ({cap}× капитала), уже открыто {used}' },
  { key: 'eng.leverageClamped', en: 'requested leverage {lev:num}× clamped to the cap {cap:num}×', ru: 'запрошенное плечо {lev}× снижено до лимита {cap}×' },
  { key: 'eng.allowlist', en: 'market {symbol} is not on the allowlist ({list})', ru: 'рынка {symbol} нет в списке разрешённых ({list})' },
  { key: 'eng.liquidity', en: 'liquidity: {symbol} 24h volume {volume:num} < minimum {min:num}', ru: 'ликвидность: объём {symbol} за 24 ч {volume} < минимума {min}' },
  { key: 'eng.spread', en: 'spread: {symbol} bid {bid:num} / ask {ask:num} = {bps} bps > maximum {max:num} bps', ru: 'спред: {symbol} bid {bid} / ask {ask} = {bps} б.п. > максимума {max} б.п.' },
  {
    key: 'eng.martingale',
    en: 'no martingale: the open {side:side} {symbol} is losing (entry {entry:num}, price {price:num}, unrealized {pnl:num}); never add to a loser',
    ru: 'без мартингейла: открытый {side} {symbol} в убытке (вход {entry}, цена {price}, нереализовано {pnl}); к убыточной позиции не добавляем',
  },
  { key: 'eng.openRisk', en: 'total open risk: {open} of equity ({quote:num}) already at the {limit} limit', ru: 'общий открытый риск: {open} капитала ({quote}) уже на пределе {limit}' },
  { key: 'eng.openRiskNote', en: 'total open risk: {open} open + this trade ≤ {limit}, so this trade risks at most {room:num}', ru: 'общий открытый риск: {open} открыто + эта сделка ≤ {limit}, поэтому эта сделка рискует не больше {room}' },
  { key: 'eng.pyramidNothing', en: 'pyramiding: there is no open {side:side} {symbol} position to add to', ru: 'пирамидинг: нет открытой позиции {side} {symbol}, к которой можно добавить' },
  { key: 'eng.opposite', en: 'an opposite {side:side} {symbol} position is open; close it before opening a {side2:side}', ru: 'открыта противоположная позиция {side} {symbol}; закройте её, прежде чем открывать {side2}' },
  { key: 'eng.pyramidNoRisk', en: 'pyramiding: the open position has no initial risk (entry = initial stop {entry:num}), so +R is undefined', ru: 'пирамидинг: у открытой позиции нет начального риска (вход = начальный стоп {entry}), +R не определён' },
  { key: 'eng.pyramidProfit', en: 'pyramiding: the open position is at {r}R < +{min:num}R; add only into profit', ru: 'пирамидинг: открытая позиция на {r}R < +{min}R; добавлять можно только в прибыль' },
  {
    key: 'eng.pyramidStop',
    en: "pyramiding: the combined stop {stop:num} must be beyond the open position's entry {entry:num} so that the whole position is at or beyond break-even",
    ru: 'пирамидинг: общий стоп {stop} должен быть за входом открытой позиции {entry}, чтобы вся позиция была в безубытке или лучше',
  },
  { key: 'eng.pyramidAddR', en: 'an add risks at most {r:num}R of the open position = {quote:num}', ru: 'добавка рискует не больше {r}R открытой позиции = {quote}' },
  { key: 'eng.pyramidBreakEven', en: 'more would put the combined break-even beyond the stop {stop:num}', ru: 'больше сдвинуло бы общий безубыток за стоп {stop}' },
  { key: 'eng.pyramidNote', en: 'pyramiding at {r:num}R: at most {units:num} units ({why*})', ru: 'пирамидинг на {r}R: не больше {units} ед. ({why})' },
  { key: 'eng.pyramidMoveStop', en: 'move the stop of the open {symbol} position to {stop:num} (combined stop at or beyond break-even)', ru: 'перенести стоп открытой позиции {symbol} на {stop} (общий стоп в безубытке или лучше)' },
  { key: 'eng.riskNothing', en: 'risk per trade is {pct}: nothing to size', ru: 'риск на сделку {pct}: объём не рассчитать' },
  { key: 'eng.riskNote', en: 'risk {pct} of {equity:num} = {quote:num}: {notes*}', ru: 'риск {pct} от {equity} = {quote}: {notes}' },
  {
    key: 'eng.reducedStreak',
    en: 'base risk lowered by {pct}: {n:num}+ losses in a row, restored after {wins:num} wins in a row (now {now:num})',
    ru: 'базовый риск снижен на {pct}: {n}+ убытков подряд, восстановится после {wins} прибыльных подряд (сейчас {now})',
  },
  { key: 'eng.reducedAtr', en: 'base risk lowered by {pct}: ATR {atr:num} is above its {p:num}th percentile {threshold:num}', ru: 'базовый риск снижен на {pct}: ATR {atr} выше своего {p}-го перцентиля {threshold}' },
  { key: 'eng.bonus', en: 'green bonus {bonus}: day PnL {day} ≥ {min}', ru: 'бонус в плюсе {bonus}: результат дня {day} ≥ {min}' },
  { key: 'eng.capped', en: 'capped at {pct} per trade', ru: 'ограничено {pct} на сделку' },
  { key: 'eng.bonusDroppedLoss', en: 'first losing trade after the bonus became active ({pnl})', ru: 'первая убыточная сделка после включения бонуса ({pnl})' },
  { key: 'eng.bonusDroppedDay', en: 'day PnL fell back to {day} < {min}', ru: 'результат дня вернулся к {day} < {min}' },
];

const state: EngineTextEntry[] = [
  { key: 'eng.lock.killSwitch', en: 'kill switch tripped at {time} ({dd} over {hours:num} h); /resume to lift it', ru: 'аварийный стоп сработал {time} ({dd} за {hours} ч); снять: /resume' },
  { key: 'eng.lock.daily', en: 'daily lock: {pnl} today; no new entries until {time}', ru: 'дневной лок: {pnl} за сегодня; новых входов не будет до {time}' },
  { key: 'eng.lock.reduced', en: 'risk lowered by {pct:num} % after a losing streak', ru: 'риск снижен на {pct} % после серии убытков' },
  { key: 'eng.lock.bonus', en: 'green bonus +{pct:num} % active', ru: 'бонус в плюсе +{pct} % действует' },
  { key: 'eng.risk.mode', en: 'Mode: {mode:mode}.', ru: 'Режим: {mode}.' },
  { key: 'eng.risk.pausedBy', en: 'Mode: {mode:mode} — PAUSED by {by}.', ru: 'Режим: {mode} — НА ПАУЗЕ ({by}).' },
  { key: 'eng.risk.paused', en: 'Mode: {mode:mode} — PAUSED.', ru: 'Режим: {mode} — НА ПАУЗЕ.' },
  {
    key: 'eng.resume.stale',
    en: 'the state changed since this question was shown (a later pause, or a new kill-switch trip); nothing was resumed: send /resume again',
    ru: 'состояние изменилось с момента вопроса (новая пауза или новое срабатывание kill switch); ничего не возобновлено: отправьте /resume ещё раз',
  },
  {
    key: 'eng.risk.equity',
    en: 'Equity {equity:num}; day result for the loss limit {day:num} % (open positions and fees included; limit −{limit:num} %), realized {realized:num}.',
    ru: 'Капитал {equity}; результат дня для лимита убытка {day} % (с открытыми позициями и комиссиями; лимит −{limit} %), зафиксировано {realized}.',
  },
  {
    key: 'eng.risk.unmanaged',
    en: '{n:num} position(s) on the broker that ITA did not open ({list}): counted in the open risk, the equity, the daily lock and the kill switch; see /positions.',
    ru: 'Позиций у брокера, которые открыл не ITA: {n} ({list}); они учтены в открытом риске, капитале, дневном лимите и аварийном стопе; см. /positions.',
  },
  { key: 'eng.risk.open', en: 'Open risk {pct:num} % of equity (limit {limit:num} %) over {n:num} position(s).', ru: 'Открытый риск {pct} % капитала (лимит {limit} %), позиций: {n}.' },
  {
    key: 'eng.risk.perTrade',
    en: 'Risk per trade {base:num} % base, at most {max:num} %; streak {wins:num} win(s) / {losses:num} loss(es) in a row.',
    ru: 'Риск на сделку {base} % базовый, не больше {max} %; серия: {wins} в плюс / {losses} в минус подряд.',
  },
  { key: 'eng.risk.tripped', en: 'Kill switch TRIPPED ({dd:num} % drawdown); /resume to lift it.', ru: 'Аварийный стоп СРАБОТАЛ (просадка {dd} %); снять: /resume.' },
  { key: 'eng.risk.armed', en: 'Kill switch armed: trips at −{pct:num} % over {hours:num} h.', ru: 'Аварийный стоп взведён: сработает при −{pct} % за {hours} ч.' },
  {
    key: 'eng.risk.exchangeDown',
    en: 'Exchange unreachable since {time}: no new entries; open positions keep their exchange-side stops.',
    ru: 'Биржа недоступна с {time}: новых входов нет; открытые позиции сохраняют стопы на бирже.',
  },
  { key: 'eng.report.day', en: 'Today (since {time} UTC):', ru: 'Сегодня (с {time} UTC):' },
  { key: 'eng.report.week', en: 'This week (since {time} UTC):', ru: 'Эта неделя (с {time} UTC):' },
  { key: 'eng.report.month', en: 'This month (since {time} UTC):', ru: 'Этот месяц (с {time} UTC):' },
  { key: 'eng.report.realized', en: '  realized {pnl} ({r}R) over {n:num} trade(s), {wins:num} win(s)', ru: '  зафиксировано {pnl} ({r}R), сделок: {n}, в плюс: {wins}' },
  { key: 'eng.report.open', en: '  open {pnl} ({r}R); total {total}', ru: '  открыто {pnl} ({r}R); итого {total}' },
  { key: 'eng.report.setupOpen', en: '  {setup}: {n:num} trade(s) {pnl} ({r}R), open {open}', ru: '  {setup}: сделок {n}, {pnl} ({r}R), открыто {open}' },
  { key: 'eng.report.setup', en: '  {setup}: {n:num} trade(s) {pnl} ({r}R)', ru: '  {setup}: сделок {n}, {pnl} ({r}R)' },
  { key: 'eng.report.risk', en: 'Risk:', ru: 'Риск:' },
  { key: 'eng.report.riskLine', en: '  {line*}', ru: '  {line}' },
  { key: 'eng.event.dailyLock', en: 'daily loss limit reached ({pct:num} %): no new entries until {time}', ru: 'достигнут дневной лимит убытка ({pct} %): новых входов не будет до {time}' },
  { key: 'eng.event.killSwitch', en: 'kill switch tripped: {pct:num} % below the peak; /resume to lift it', ru: 'сработал аварийный стоп: {pct} % ниже пика; снять: /resume' },
];

const controls: EngineTextEntry[] = [
  { key: 'eng.pause', en: 'paused: no new entries; open positions keep their stops and their management', ru: 'пауза: новых входов нет; открытые позиции сохраняют стопы и сопровождение' },
  { key: 'eng.killSwitchLifted', en: 'kill switch lifted by {by}; the drawdown window restarts now', ru: 'аварийный стоп снят ({by}); окно просадки начинается заново' },
  { key: 'eng.resumed', en: 'resumed: new entries allowed again', ru: 'возобновлено: новые входы снова разрешены' },
  { key: 'eng.liveConfig', en: 'the configuration says mode: paper; set mode: live and restart to allow live trading', ru: 'в конфигурации указано mode: paper; чтобы разрешить реальную торговлю, укажите mode: live и перезапустите' },
  { key: 'eng.liveNoBroker', en: 'no live broker is configured (exchange API keys missing)', ru: 'реальный брокер не настроен (нет API-ключей биржи)' },
  { key: 'eng.liveNeedsKeys', en: 'live trading needs the exchange API key and secret from the environment; missing: {names}. Set them and restart', ru: 'для реальной торговли нужны API-ключ и секрет биржи из переменных окружения; не заданы: {names}. Задайте их и перезапустите' },
  { key: 'eng.liveNeedsExchange', en: 'live trading needs the exchange as the market, not the bundled sample replay: set ITA_MARKET=exchange and restart', ru: 'для реальной торговли рынком должна быть биржа, а не воспроизведение встроенных свечей: задайте ITA_MARKET=exchange и перезапустите' },
  { key: 'eng.liveWrongCode', en: 'live trading NOT enabled: the confirmation code is wrong, used or expired; still paper', ru: 'реальная торговля НЕ включена: код подтверждения неверный, использованный или просроченный; режим по-прежнему бумажный' },
  { key: 'eng.liveEnabled', en: 'LIVE trading enabled: new approvals place real orders', ru: 'РЕАЛЬНАЯ торговля включена: новые одобрения выставляют настоящие ордера' },
  { key: 'eng.closed', en: '{symbol} {side:side} closed: {pnl} ({r}R)', ru: '{symbol} {side} закрыта: {pnl} ({r}R)' },
  { key: 'eng.closedUnmanaged', en: '{symbol} {side:side} closed: {pnl}', ru: '{symbol} {side} закрыта: {pnl}' },
  { key: 'eng.entryCancelled', en: '{symbol} {side:side}: entry cancelled, nothing was filled', ru: '{symbol} {side}: вход отменён, ничего не исполнено' },
  { key: 'eng.breakEven', en: '{symbol} stop moved to break-even {stop:num}', ru: '{symbol}: стоп перенесён в безубыток {stop}' },
  { key: 'eng.noOpenPosition', en: 'no open position "{id}"', ru: 'нет открытой позиции «{id}»' },
  { key: 'eng.exit.stop', en: 'stop-loss', ru: 'стоп-лосс' },
  { key: 'eng.exit.stop2', en: 'stop', ru: 'стоп' },
  { key: 'eng.exit.takeProfit', en: 'take-profit', ru: 'тейк-профит' },
  { key: 'eng.exit.target', en: 'target', ru: 'цель' },
  { key: 'eng.exit.exit', en: 'exit', ru: 'выход' },
  { key: 'eng.exit.trailing', en: 'trailing-stop', ru: 'трейлинг-стоп' },
  { key: 'eng.exit.breakEven', en: 'break-even-stop', ru: 'стоп в безубытке' },
  { key: 'eng.exit.time', en: 'time-stop', ru: 'стоп по времени' },
  { key: 'eng.exit.oppositeSignal', en: 'opposite-signal', ru: 'противоположный сигнал' },
  { key: 'eng.exit.endOfData', en: 'end-of-data', ru: 'конец данных' },
  { key: 'eng.exit.entryCancelled', en: 'entry cancelled', ru: 'вход отменён' },
  { key: 'eng.exit.entryRejected', en: 'entry rejected: {message}', ru: 'вход отклонён: {message}' },
  { key: 'eng.exit.closedBy', en: 'closed by {by}', ru: 'закрыто: {by}' },
  { key: 'eng.exit.opposite', en: 'opposite signal {setup} {side:side}', ru: 'противоположный сигнал {setup} {side}' },
  { key: 'eng.exit.beyond', en: '{reason*} (price already beyond the new stop {stop:num})', ru: '{reason} (цена уже за новым стопом {stop})' },
];

const services: EngineTextEntry[] = [
  { key: 'eng.history', en: 'history: {n:num} trades, win rate {win:num}%, expectancy {e}', ru: 'история: {n} сделок, доля прибыльных {win}%, ожидание {e}' },
  { key: 'eng.noHistory', en: 'no trade history for this setup version yet', ru: 'у этой версии сетапа ещё нет истории сделок' },
  { key: 'eng.watching', en: 'watching {market:market}', ru: 'слежу за {market}' },
  { key: 'eng.alreadyWatched', en: '{market:market} is already on the watchlist', ru: '{market} уже в списке наблюдения' },
  { key: 'eng.cannotWatch', en: 'cannot watch {market:market}: {problem*}', ru: 'не могу следить за {market}: {problem}' },
  { key: 'eng.offlineMarkets', en: 'offline mode replays only the bundled markets: {list}', ru: 'в офлайн-режиме воспроизводятся только встроенные рынки: {list}' },
  { key: 'eng.health.noCandles', en: 'no candles yet', ru: 'свечей ещё нет' },
  { key: 'eng.health.stale', en: 'stale since {time} UTC', ru: 'нет новых свечей с {time} UTC' },
  { key: 'eng.health.ok', en: 'ok', ru: 'в порядке' },
  { key: 'eng.health.replay', en: 'bar replay at {time} UTC', ru: 'воспроизведение баров: {time} UTC' },
  { key: 'eng.health.backfilling', en: 'backfilling', ru: 'догружаю историю' },
  { key: 'eng.health.error', en: 'error: {message}', ru: 'ошибка: {message}' },
  { key: 'eng.status.sample', en: 'market: bundled sample candles replayed (no exchange)', ru: 'рынок: воспроизводятся встроенные свечи (без биржи)' },
  { key: 'eng.status.exchangeTestnet', en: 'exchange: {id} (testnet)', ru: 'биржа: {id} (тестовая сеть)' },
  { key: 'eng.status.exchange', en: 'exchange: {id}', ru: 'биржа: {id}' },
  { key: 'eng.status.llm', en: 'LLM today: {calls:num} calls, ${cost:num} of ${budget:num}', ru: 'LLM сегодня: вызовов {calls}, ${cost} из ${budget}' },
  { key: 'eng.status.noLlm', en: 'LLM: not configured (answers quote your documents)', ru: 'LLM: не настроена (ответы цитируют ваши документы)' },
  { key: 'eng.decide.noSignal', en: 'no signal with id {id}', ru: 'нет сигнала с id {id}' },
  { key: 'eng.decide.approved', en: 'already approved', ru: 'уже принят' },
  { key: 'eng.decide.rejected', en: 'already rejected', ru: 'уже отклонён' },
  { key: 'eng.decide.recorded', en: 'recorded', ru: 'записано' },
  { key: 'eng.similar.open', en: 'open', ru: 'открыта' },
  { key: 'eng.setup.unknown', en: 'unknown setup "{id}"; known: {list}', ru: 'нет сетапа «{id}»; есть: {list}' },
  { key: 'eng.setup.badId', en: '"{id}" is not a setup id (lower-case letters, digits, _ and -, 2–48 long)', ru: '«{id}» — не id сетапа (строчные буквы, цифры, _ и -, длина 2–48)' },
  { key: 'eng.setup.exists', en: 'a setup "{id}" already exists', ru: 'сетап «{id}» уже есть' },
  {
    key: 'eng.setup.notEditable',
    en: '"{path}" cannot be edited from the chat; editable: {list} (and their fields, e.g. stop.mult, targets.0.r)',
    ru: '«{path}» из чата не меняется; можно: {list} (и их поля, например stop.mult, targets.0.r)',
  },
  {
    key: 'eng.setup.optimizedStale',
    en: 'setup {id} changed since these parameters were found (it was version {old}, now {now}); run the optimization again',
    ru: 'сетап {id} изменился после того, как были найдены эти параметры (была версия {old}, теперь {now}); запустите оптимизацию заново',
  },
  {
    key: 'eng.setup.draftStale',
    en: 'setup {id} changed since this draft (version {old}, now {now}); nothing was changed, make the edit again',
    ru: 'сетап {id} изменился после этого черновика (версия {old}, теперь {now}); ничего не изменено, внесите правку заново',
  },
  { key: 'eng.setup.noParam', en: 'setup {id} has no parameter "{name}" (it has: {list})', ru: 'у сетапа {id} нет параметра «{name}» (есть: {list})' },
  { key: 'eng.setup.paramNotNumber', en: 'parameter {name} must be a number, got {value}', ru: 'параметр {name} должен быть числом, получено {value}' },
  { key: 'eng.gate.statusAll', en: 'new entries paused on every {exchange} market: {reason*}', ru: 'новые входы на паузе на всех рынках {exchange}: {reason}' },
  { key: 'eng.gate.status', en: 'new entries paused on {where}: {reason*}', ru: 'новые входы на паузе на {where}: {reason}' },
  { key: 'eng.gate.any', en: 'health gate: {reasons*}', ru: 'проверка здоровья: {reasons}' },
  { key: 'eng.gate.gated', en: '{gate*}; new entries on {symbol} {tf} resume when it clears', ru: '{gate}; новые входы на {symbol} {tf} возобновятся, когда это пройдёт' },
  { key: 'eng.gate.staleNone', en: 'feed stale: expected the candle of {expected}, no candle yet', ru: 'данные устарели: ожидалась свеча {expected}, свечей ещё нет' },
  { key: 'eng.gate.stale', en: 'feed stale: expected the candle of {expected}, the last closed candle opened {last}', ru: 'данные устарели: ожидалась свеча {expected}, последняя закрытая открылась {last}' },
  { key: 'eng.gate.gap', en: 'gap: {n:num} of {m:num} missing candles could not be fetched', ru: 'пропуск: {n} из {m} недостающих свечей не удалось загрузить' },
  {
    key: 'eng.gate.clockAhead',
    en: "this host's clock is {ms:num} ms ahead of {exchange} (limit {limit:num} ms): sync the clock (e.g. enable NTP)",
    ru: 'часы этого компьютера спешат относительно {exchange} на {ms} мс (предел {limit} мс): синхронизируйте часы (например, включите NTP)',
  },
  {
    key: 'eng.gate.clockBehind',
    en: "this host's clock is {ms:num} ms behind {exchange} (limit {limit:num} ms): sync the clock (e.g. enable NTP)",
    ru: 'часы этого компьютера отстают от {exchange} на {ms} мс (предел {limit} мс): синхронизируйте часы (например, включите NTP)',
  },
  { key: 'eng.similar.noTrade', en: 'no trade', ru: 'без сделки' },
  { key: 'eng.decide.executorFailed', en: 'approval recorded, but the executor failed: {message}', ru: 'одобрение записано, но исполнитель дал сбой: {message}' },
];

/** The backtest grades' strengths and weaknesses (backtest/grades.ts), one family per graded figure. */
const GRADED: Array<[key: string, en: string, ru: string]> = [
  ['sharpe', 'Sharpe', 'Шарп'],
  ['drawdown', 'max drawdown', 'макс. просадка'],
  ['winRate', 'win rate', 'доля прибыльных'],
  ['profitFactor', 'profit factor', 'профит-фактор'],
  ['calmar', 'Calmar', 'Calmar'],
];
const grades: EngineTextEntry[] = [
  ...GRADED.flatMap(([key, en, ru]) => [
    { key: `eng.grade.${key}.excellent`, en: `${en} {v} is excellent ({c} {a})`, ru: `${ru} {v} — отлично ({c} {a})` },
    { key: `eng.grade.${key}.good`, en: `${en} {v} is good ({c} {a}; excellent {d} {b})`, ru: `${ru} {v} — хорошо ({c} {a}; отлично {d} {b})` },
    { key: `eng.grade.${key}.minimum`, en: `${en} {v} only reaches the minimum ({c} {a}; good {d} {b})`, ru: `${ru} {v} — только минимум ({c} {a}; хорошо {d} {b})` },
    { key: `eng.grade.${key}.below`, en: `${en} {v} is below the minimum ({c} {a})`, ru: `${ru} {v} — ниже минимума ({c} {a})` },
    { key: `eng.grade.${key}.deeper`, en: `${en} {v} is deeper than the minimum ({c} {a})`, ru: `${ru} {v} — глубже допустимого ({c} {a})` },
    { key: `eng.grade.${key}.undefined`, en: `${en} is undefined (no trades, no variance or the account was wiped out)`, ru: `${ru} не определён (нет сделок, нет разброса или счёт обнулён)` },
  ]),
  { key: 'eng.grade.fewTrades', en: 'only {n:num} trades: at least {min:num} are needed before the figures mean much', ru: 'всего сделок: {n}; нужно хотя бы {min}, чтобы цифры что-то значили' },
  { key: 'eng.grade.oneTrade', en: 'only {n:num} trade: at least {min:num} are needed before the figures mean much', ru: 'всего сделок: {n}; нужно хотя бы {min}, чтобы цифры что-то значили' },
];

/** The strategy lab and theory testing (engine/lab/service.ts, theory/draft.ts). */
const lab: EngineTextEntry[] = [
  { key: 'eng.lab.needsLlm', en: 'the lab needs an LLM: set {vars*}', ru: 'для лаборатории нужна LLM: задайте {vars}' },
  { key: 'eng.lab.theoryNeedsLlm', en: 'testing a passage needs an LLM: set {vars*}', ru: 'чтобы проверить отрывок, нужна LLM: задайте {vars}' },
  {
    key: 'eng.lab.envHint',
    en: 'ITA_LLM_BASE_URL, ITA_LLM_MODEL (and ITA_LLM_API_KEY when the server needs one), or llm.providers in the config file',
    ru: 'ITA_LLM_BASE_URL, ITA_LLM_MODEL (и ITA_LLM_API_KEY, если сервер его требует) или llm.providers в файле конфигурации',
  },
  { key: 'eng.lab.count', en: 'the number of setups must be 1 to 10, got {n}', ru: 'число сетапов должно быть от 1 до 10, получено {n}' },
  { key: 'eng.lab.pickMarket', en: 'choose at least one stored market', ru: 'выберите хотя бы один сохранённый рынок' },
  { key: 'eng.lab.noPassage', en: 'no cited passage {id}: ask the question again', ru: 'нет процитированного отрывка {id}: задайте вопрос ещё раз' },
  { key: 'eng.lab.noDraft', en: 'no drafted setup {id}', ru: 'нет составленного сетапа {id}' },
  // knowledge/llm/errors.ts: what a lab agent or a theory draft reports when the day's LLM budget is gone.
  { key: 'eng.llm.budget', en: 'LLM daily budget spent: ${spent:num} of ${budget:num} used today (UTC); calls refused until tomorrow', ru: 'дневной бюджет LLM исчерпан: ${spent} из ${budget} потрачено сегодня (UTC); вызовы отклоняются до завтра' },
  { key: 'eng.lab.stillInvalid', en: "the model's setup is still invalid after one re-ask: {error}", ru: 'сетап модели всё ещё неверен после повторного запроса: {error}' },
];

/** Order matters where templates overlap: the longer, more specific one first. */
/** The one decision module's refusals (trading/decision.ts, signals/policy.ts) and the executor's opposite-signal exit. */
const decisions: EngineTextEntry[] = [
  { key: 'eng.dec.limitNoPrice', en: 'limit entry without a price', ru: 'лимитный вход без цены' },
  { key: 'eng.dec.stopWrongSide', en: 'stop on the wrong side of entry', ru: 'стоп не с той стороны от входа' },
  { key: 'eng.dec.riskNeedsStop', en: 'risk sizing needs a stop', ru: 'для расчёта размера по риску нужен стоп' },
  { key: 'eng.dec.oppositeExit', en: 'used to exit the opposite position (oppositeSignal=exit)', ru: 'использован для выхода из противоположной позиции (oppositeSignal=exit)' },
  { key: 'eng.dec.oppositeHeld', en: 'an opposite position is open (oppositeSignal=ignore)', ru: 'открыта противоположная позиция (oppositeSignal=ignore)' },
  { key: 'eng.dec.inPosition', en: 'already in a position on this market', ru: 'на этом рынке уже есть позиция' },
  { key: 'eng.dec.entryPending', en: 'an entry order is already pending on this market', ru: 'на этом рынке уже ждёт ордер на вход' },
  { key: 'eng.dec.beyondStopNow', en: 'the price {price:num} is already beyond the stop {stop:num} now', ru: 'цена {price} уже за стопом {stop}' },
  { key: 'eng.dec.beyondStopFill', en: 'the price {price:num} is already beyond the stop {stop:num} at the fill', ru: 'цена {price} при исполнении уже за стопом {stop}' },
  { key: 'eng.dec.sizeZero', en: 'size rounds to 0 units', ru: 'размер округляется до 0 единиц' },
  { key: 'eng.policy.spotShort', en: 'a spot account cannot sell short', ru: 'спотовый счёт не может продавать в шорт' },
  { key: 'eng.policy.minScore', en: 'score {score:num} is below the minimum {min:num}', ru: 'оценка {score} ниже минимума {min}' },
  { key: 'eng.policy.cost', en: 'a stopped trade would cost {cost:num} R in fees and slippage (limit {limit:num} R)', ru: 'сделка, закрытая по стопу, стоила бы {cost} R комиссий и проскальзывания (предел {limit} R)' },
  { key: 'eng.exit.oppositeClosed', en: '{symbol} {side:side} closed on an opposite signal: {pnl}', ru: '{symbol} {side} закрыта по противоположному сигналу: {pnl}' },
  { key: 'eng.log.oppositeClosing', en: 'closing on an opposite signal', ru: 'закрытие по противоположному сигналу' },
  { key: 'eng.log.oppositeRefused', en: 'opposite-signal exit refused by the broker', ru: 'брокер отклонил выход по противоположному сигналу' },
];

export const ENGINE_TEXTS: readonly EngineTextEntry[] = [...placement, ...rules, ...state, ...controls, ...services, ...decisions, ...grades, ...lab, ...LABEL_TEXTS];
