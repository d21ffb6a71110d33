/**
 * Telegram HTML parse mode accepts only a few tags and rejects any stray "<" or "&"; everything that comes from data
 * (setup names, reasons, file names, service messages) goes through escapeHtml before it is put into a message.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const bold = (text: string): string => `<b>${escapeHtml(text)}</b>`;
export const code = (text: string): string => `<code>${escapeHtml(text)}</code>`;
export const italic = (text: string): string => `<i>${escapeHtml(text)}</i>`;

/** Cuts plain text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + '…';
}
