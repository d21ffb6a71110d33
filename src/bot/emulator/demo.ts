/**
 * Try the web chat before the real bot is wired: `npx tsx src/bot/emulator/demo.ts [port]` starts the offline
 * Telegram with a small grammY bot (/start sends a photo with buttons, a press edits it, documents are echoed).
 */
import { Bot, InlineKeyboard, InputFile } from 'grammy';
import { deflateSync } from 'node:zlib';
import { startOfflineTelegram } from './offline.ts';
import { createLogger } from '../../logger.ts';

const logger = createLogger();
const offline = await startOfflineTelegram({ webChatPort: Number(process.argv[2] ?? 8080), logger });
const bot = new Bot(offline.token, { client: { apiRoot: offline.apiRoot } });
await bot.api.setMyCommands([
  { command: 'start', description: 'Show a sample signal' },
  { command: 'help', description: 'What this demo does' },
]);
bot.command('start', (ctx) =>
  ctx.replyWithPhoto(new InputFile(greyPng(), 'signal.png'), {
    caption: '<b>BTCUSDT 1h</b> demo signal\nEntry <code>64 250</code> · stop <i>63 700</i>',
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard().text('Approve', 'approve').text('Reject', 'reject'),
  }),
);
bot.command('help', (ctx) => ctx.reply('This is the emulator demo: try /start, the buttons, or send a file.'));
bot.callbackQuery(['approve', 'reject'], async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.callbackQuery.data === 'approve' ? 'Approved' : 'Rejected' });
  await ctx.editMessageCaption({ caption: `<b>BTCUSDT 1h</b> demo signal — <u>${ctx.callbackQuery.data}d</u>`, parse_mode: 'HTML' });
});
bot.on('message:document', (ctx) => ctx.reply(`Received <b>${ctx.message.document.file_name ?? 'file'}</b>`, { parse_mode: 'HTML' }));
bot.on('message:text', (ctx) => ctx.reply(`You wrote: ${ctx.message.text}`));
process.once('SIGINT', () => void bot.stop().then(() => offline.stop()));
await bot.start();

/** A 320x180 grey PNG built by hand (zlib + CRC), so the demo needs no chart renderer. */
function greyPng(): Buffer {
  const width = 320;
  const height = 180;
  const raw = Buffer.alloc((width + 1) * height, 0xc8);
  for (let y = 0; y < height; y += 1) raw[y * (width + 1)] = 0;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const frame = Buffer.alloc(8 + body.length);
    frame.writeUInt32BE(data.length, 0);
    body.copy(frame, 4);
    frame.writeUInt32BE(crc32(body), 4 + body.length);
    return frame;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
