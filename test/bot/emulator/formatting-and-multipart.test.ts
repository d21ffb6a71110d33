/**
 * Pure pieces: Telegram HTML rendering for the web chat (safety first) and the lenient multipart parser, against
 * hand-written inputs.
 */
import { describe, expect, it } from 'vitest';
import { renderTelegramHtml, tokenizeTelegramHtml } from '../../../src/bot/emulator/telegram-html.ts';
import { renderMarkdownV2 } from '../../../src/bot/emulator/telegram-markdown.ts';
import { parseMultipart, boundaryOf } from '../../../src/bot/emulator/multipart.ts';
import { botCommandEntities } from '../../../src/bot/emulator/user-actions.ts';

describe('Telegram HTML for the web chat', () => {
  it('keeps Telegram formatting tags and escapes everything else', () => {
    expect(renderTelegramHtml('<b>Long</b> <i>BTC</i> <u>now</u> <s>no</s> <code>1 &lt; 2</code>\n<pre>x</pre>')).toBe(
      '<b>Long</b> <i>BTC</i> <u>now</u> <s>no</s> <code>1 &lt; 2</code>\n<pre>x</pre>',
    );
    expect(renderTelegramHtml('<strong>a</strong><em>b</em><ins>c</ins><del>d</del>')).toBe('<b>a</b><i>b</i><u>c</u><s>d</s>');
    expect(renderTelegramHtml('<a href="https://tradingview.com/?a=1&amp;b=2">chart</a>')).toBe(
      '<a href="https://tradingview.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">chart</a>',
    );
  });

  it('never lets script-capable markup through', () => {
    expect(renderTelegramHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(renderTelegramHtml('<b onclick="alert(1)">x</b>')).toBe('<b>x</b>');
    expect(renderTelegramHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(renderTelegramHtml('<b>unclosed')).toBe('&lt;b&gt;unclosed');
    expect(renderTelegramHtml('<a href="https://x.org/&quot;onmouseover=&quot;">x</a>')).toBe(
      '<a href="https://x.org/&quot;onmouseover=&quot;" target="_blank" rel="noopener noreferrer">x</a>',
    );
  });

  it('reports byte offsets like Telegram (UTF-8 bytes, not characters)', () => {
    expect(tokenizeTelegramHtml('Вход <p>')).toEqual({ error: 'can\'t parse entities: Unsupported start tag "p" at byte offset 9' });
    expect(tokenizeTelegramHtml('<b>x</i>')).toEqual({
      error: 'can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    });
  });

  it('renders MarkdownV2 and rejects unescaped reserved characters', () => {
    expect(renderMarkdownV2('*bold* _it_ __u__ ~s~ `a<b` [tv](https://tradingview.com) 2\\.5')).toEqual({
      html: '<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>a&lt;b</code> <a href="https://tradingview.com" target="_blank" rel="noopener noreferrer">tv</a> 2.5',
    });
    expect(renderMarkdownV2('stop-loss')).toEqual({
      error: "can't parse entities: Character '-' is reserved and must be escaped with the preceding '\\'",
    });
  });
});

describe('bot_command entities', () => {
  it('marks commands that start a word, with UTF-16 offsets', () => {
    expect(botCommandEntities('/start')).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(botCommandEntities('/ask@ita_bot что такое FVG?')).toEqual([{ type: 'bot_command', offset: 0, length: 12 }]);
    expect(botCommandEntities('see /help and a/b')).toEqual([{ type: 'bot_command', offset: 4, length: 5 }]);
    expect(botCommandEntities('no commands here')).toEqual([]);
  });
});

describe('lenient multipart parser', () => {
  it("reads grammY's framing: lower-case headers without spaces and an unquoted filename", () => {
    const boundary = '----------abc123';
    const bytes = Buffer.from([0x89, 0x50, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]); // contains CRLF and "--" inside
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n100001`),
      Buffer.from(`\r\n--${boundary}\r\ncontent-disposition:form-data;name="photo"\r\n\r\nattach://k9`),
      Buffer.from(`\r\n--${boundary}\r\ncontent-disposition:form-data;name="k9";filename=chart.png\r\ncontent-type:application/octet-stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(boundaryOf(`multipart/form-data; boundary=${boundary}`)).toBe(boundary);
    const parsed = parseMultipart(body, boundary);
    expect(parsed.fields).toEqual([{ name: 'chat_id', value: '100001' }, { name: 'photo', value: 'attach://k9' }]);
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]).toMatchObject({ name: 'k9', filename: 'chart.png', contentType: 'application/octet-stream' });
    expect(parsed.files[0].bytes.equals(bytes)).toBe(true);
  });

  it('reads quoted and RFC 5987 filenames', () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="document"; filename*=UTF-8\'\'%D1%82%D0%B5%D0%BE%D1%80%D0%B8%D1%8F.md\r\n\r\nx\r\n' +
        '--b\r\nContent-Disposition: form-data; name="thumb"; filename="a b.jpg"\r\n\r\ny\r\n--b--\r\n',
    );
    expect(parseMultipart(body, 'b').files.map((f) => f.filename)).toEqual(['теория.md', 'a b.jpg']);
  });
});

describe('web chat message view', () => {
  it('turns a bot message into safe HTML, a photo URL, buttons and a reply keyboard', async () => {
    const { toMessageView } = await import('../../../src/bot/emulator/web-chat/view-model.ts');
    const view = toMessageView({
      message_id: 7,
      date: Date.UTC(2024, 6, 1, 9, 5) / 1000,
      chat: { id: 1, type: 'private' },
      sender: 'bot',
      parse_mode: 'HTML',
      caption: '<b>Long</b> <script>x</script>',
      photo: [{ file_id: 'AgAC1/x', file_unique_id: 'u', width: 2, height: 2, file_size: 9 }],
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }, { text: 'TV', url: 'javascript:alert(1)' }]] },
    });
    // <script> is not a Telegram tag: Telegram would refuse it, the page shows it as text
    expect(view).toMatchObject({ id: 7, time: '09:05', edited: false, photoUrl: '/files/AgAC1%2Fx' });
    expect(view.html).toBe('&lt;b&gt;Long&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;');
    expect(view.inlineKeyboard).toEqual([[{ text: 'Go', data: 'go' }, { text: 'TV' }]]);
    const keyboard = toMessageView({
      message_id: 8, date: 0, chat: { id: 1, type: 'private' }, sender: 'bot', text: 'Pick',
      reply_markup: { keyboard: [[{ text: 'BTC' }, { text: 'ETH' }]] },
    });
    expect(keyboard.replyKeyboard).toEqual([['BTC', 'ETH']]);
  });
});
