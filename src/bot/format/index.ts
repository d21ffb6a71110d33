export { escapeHtml, bold, code, italic, truncate } from './html.ts';
export { formatPrice, priceDecimals, formatPercent, formatR, formatScore } from './numbers.ts';
export { formatDateTime, formatDate, parseDate, isValidTimeZone } from './time.ts';
