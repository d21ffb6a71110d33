/**
 * The fake futures venue's answers in Binance's shapes (fapi v1 orders and algo orders, userTrades, v3 account and
 * positionRisk), read from the book's state.
 */
import type { FuturesBook, FuturesOrder } from './futures-book.ts';

export function tradesView(book: FuturesBook, symbol: string, orderId: string | null): unknown[] {
  return book.trades_.filter((t) => t.symbol === symbol && (!orderId || String(t.orderId) === orderId)).map((t) => ({
    buyer: t.side === 'BUY', commission: str(t.commission), commissionAsset: 'USDT', id: t.id, maker: t.maker, orderId: t.orderId,
    price: str(t.price), qty: str(t.qty), quoteQty: str(t.price * t.qty), realizedPnl: str(t.realizedPnl), side: t.side,
    positionSide: 'BOTH', symbol: t.symbol, time: t.time,
  }));
}

export function accountView(book: FuturesBook): unknown {
  const now = book.now();
  let unrealized = 0;
  let positionMargin = 0;
  for (const [symbol, p] of book.positions) {
    unrealized += p.amt * ((book.reference(symbol) ?? p.entryPrice) - p.entryPrice);
    positionMargin += p.margin;
  }
  const orderMargin = book.orders.filter((o) => book.isOpen(o)).reduce((s, o) => s + o.locked, 0);
  const asset = {
    asset: 'USDT', walletBalance: str(book.wallet), unrealizedProfit: str(unrealized), marginBalance: str(book.wallet + unrealized),
    maintMargin: str(positionMargin * 0.08), initialMargin: str(positionMargin + orderMargin), positionInitialMargin: str(positionMargin),
    openOrderInitialMargin: str(orderMargin), crossWalletBalance: str(book.wallet - positionMargin), crossUnPnl: '0',
    availableBalance: str(book.available()), maxWithdrawAmount: str(book.available()), updateTime: now,
  };
  return {
    totalInitialMargin: asset.initialMargin, totalMaintMargin: asset.maintMargin, totalWalletBalance: asset.walletBalance,
    totalUnrealizedProfit: asset.unrealizedProfit, totalMarginBalance: asset.marginBalance, totalPositionInitialMargin: asset.positionInitialMargin,
    totalOpenOrderInitialMargin: asset.openOrderInitialMargin, totalCrossWalletBalance: asset.crossWalletBalance, totalCrossUnPnl: '0',
    availableBalance: asset.availableBalance, maxWithdrawAmount: asset.maxWithdrawAmount, assets: [asset],
    positions: positionRiskView(book, null),
  };
}

export function positionRiskView(book: FuturesBook, symbol: string | null): unknown[] {
  return [...book.positions].filter(([id, p]) => p.amt !== 0 && (!symbol || id === symbol)).map(([id, p]) => {
    const mark = book.reference(id) ?? p.entryPrice;
    return {
      symbol: id, positionSide: 'BOTH', positionAmt: str(p.amt), entryPrice: str(p.entryPrice), breakEvenPrice: str(p.entryPrice),
      markPrice: str(mark), unRealizedProfit: str(p.amt * (mark - p.entryPrice)), liquidationPrice: '0', isolatedMargin: str(p.margin),
      notional: str(p.amt * mark), marginAsset: 'USDT', isolatedWallet: str(p.margin), initialMargin: str(p.margin),
      maintMargin: str(p.margin * 0.08), positionInitialMargin: str(p.margin), openOrderInitialMargin: '0', adl: 0,
      bidNotional: '0', askNotional: '0', updateTime: book.now(),
    };
  });
}

export function orderView(o: FuturesOrder): Record<string, unknown> {
  return {
    orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId, price: str(o.price),
    avgPrice: str(o.executedQty > 0 ? o.cumQuote / o.executedQty : 0), origQty: str(o.origQty), executedQty: str(o.executedQty),
    cumQty: str(o.executedQty), cumQuote: str(o.cumQuote), timeInForce: 'GTC', type: o.type, reduceOnly: o.reduceOnly,
    closePosition: false, side: o.side, positionSide: 'BOTH', stopPrice: '0', workingType: 'CONTRACT_PRICE', priceProtect: false,
    origType: o.type, priceMatch: 'NONE', selfTradePreventionMode: 'EXPIRE_MAKER', goodTillDate: 0, time: o.time, updateTime: o.updateTime,
  };
}

export function algoView(book: FuturesBook, o: FuturesOrder): Record<string, unknown> {
  const actual = o.algo?.actualOrderId !== undefined ? book.orders.find((x) => x.orderId === o.algo!.actualOrderId) : undefined;
  return {
    algoId: o.orderId, clientAlgoId: o.clientOrderId, algoType: 'CONDITIONAL', orderType: o.type, symbol: o.symbol, side: o.side,
    positionSide: 'BOTH', timeInForce: 'GTC', quantity: str(o.origQty), algoStatus: o.algo?.status, actualOrderId: actual ? String(actual.orderId) : '',
    actualPrice: actual ? str(actual.executedQty > 0 ? actual.cumQuote / actual.executedQty : 0) : '0', triggerPrice: str(o.stopPrice),
    price: '0', icebergQuantity: null, selfTradePreventionMode: 'EXPIRE_MAKER', workingType: 'CONTRACT_PRICE', priceMatch: 'NONE',
    closePosition: false, priceProtect: false, reduceOnly: o.reduceOnly, createTime: o.time, updateTime: o.updateTime,
    triggerTime: o.algo?.triggerTime ?? 0, goodTillDate: 0,
  };
}

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

function str(x: number): string {
  return String(round(x));
}
