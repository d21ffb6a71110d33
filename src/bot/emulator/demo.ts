/**
 * Try the web chat before the real bot is wired: `npx tsx src/bot/emulator/demo.ts [port]` starts the offline
 * Telegram with a small grammY bot (/start sends a photo with buttons, a press edits it, documents are echoed).
 */
import { Bot, InlineKeyboard, InputFile } from 'grammy';
import { solidPng } from './png.ts';
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
  ctx.replyWithPhoto(new InputFile(solidPng(320, 180, [200, 200, 200]), 'signal.png'), {
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

