/**
 * The real grammY bot, long polling the local emulator over HTTP: what the ITA bot and its e2e tests rely on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Bot, InlineKeyboard, InputFile } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { solidPng, startBotOnEmulator, type BotHarness } from '../../helpers/bot-api-client.ts';

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const botMessages = (h: BotHarness, chatId: number) => h.emulator.messages(chatId).filter((m) => m.sender === 'bot');

describe('grammY bot against the Bot API emulator', () => {
  it('answers a command sent by the user with bot_command entities', async () => {
    harness = await startBotOnEmulator((bot) => {
      bot.command('start', (ctx) => ctx.reply(`<b>Hello</b>, ${ctx.from?.first_name} (${ctx.from?.language_code})`, { parse_mode: 'HTML' }));
    });
    const { emulator } = harness;
    const sent = emulator.userSendText(emulator.owner, '/start');
    expect(sent.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const reply = await emulator.waitFor(() => botMessages(harness!, emulator.owner.id)[0]);
    expect(reply.text).toBe('<b>Hello</b>, Owner (ru)');
    expect(reply.parse_mode).toBe('HTML');
    expect(emulator.messages(emulator.owner.id).map((m) => m.sender)).toEqual(['user', 'bot']);
  });

  it('stores a photo sent from a Buffer and serves it back through getFile', async () => {
    const png = solidPng(3, 2, [200, 30, 30]);
    harness = await startBotOnEmulator((bot) => {
      bot.command('chart', (ctx) =>
        ctx.replyWithPhoto(new InputFile(png, 'chart.png'), {
          caption: 'BTCUSDT 1h',
          reply_markup: new InlineKeyboard().text('Approve', 'approve:1').text('Reject', 'reject:1'),
        }),
      );
    });
    const { emulator, bot } = harness;
    emulator.userSendText(emulator.owner, '/chart');
    const photo = await emulator.waitFor(() => botMessages(harness!, emulator.owner.id).find((m) => m.photo));
    expect(photo.caption).toBe('BTCUSDT 1h');
    expect(photo.photo?.[0]).toMatchObject({ width: 3, height: 2, file_size: png.length });
    expect(photo.reply_markup?.inline_keyboard?.[0].map((b) => b.callback_data)).toEqual(['approve:1', 'reject:1']);
    const file = await bot.api.getFile(photo.photo![0].file_id);
    const downloaded = Buffer.from(await (await fetch(`${emulator.apiRoot}/file/bot${emulator.token}/${file.file_path}`)).arrayBuffer());
    expect(downloaded.equals(png)).toBe(true);
  });

  it('sends a document, edits a text message and records setMyCommands', async () => {
    harness = await startBotOnEmulator(() => undefined);
    const { emulator, bot } = harness;
    const chatId = emulator.owner.id;
    const csv = Buffer.from('ts,close\n1,2\n');
    const document = await bot.api.sendDocument(chatId, new InputFile(csv, 'report.csv'), { caption: 'Backtest' });
    expect(document.document).toMatchObject({ file_name: 'report.csv', mime_type: 'text/csv', file_size: csv.length });
    const text = await bot.api.sendMessage(chatId, 'Scanning…');
    await bot.api.editMessageText(chatId, text.message_id, 'Scan done: 2 signals');
    expect(emulator.messages(chatId).map((m) => m.text ?? m.caption)).toEqual(['Backtest', 'Scan done: 2 signals']);
    expect(emulator.messages(chatId)[1].edit_date).toBeTypeOf('number');
    await expect(bot.api.editMessageText(chatId, text.message_id, 'Scan done: 2 signals')).rejects.toThrow(/message is not modified/);
    await bot.api.deleteMessage(chatId, document.message_id);
    expect(emulator.messages(chatId).map((m) => m.message_id)).toEqual([text.message_id]);

    await bot.api.setMyCommands([{ command: 'start', description: 'Start' }]);
    await bot.api.setMyCommands([{ command: 'start', description: 'Старт' }, { command: 'help', description: 'Помощь' }], { language_code: 'ru' });
    expect(emulator.commands).toHaveLength(2);
    expect(emulator.commandsFor(emulator.owner).map((c) => c.command)).toEqual(['start', 'help']); // owner speaks ru
    expect(emulator.commandsFor(emulator.stranger).map((c) => c.description)).toEqual(['Start']);
    expect(await bot.api.getMyCommands({ language_code: 'ru' })).toHaveLength(2);
  });

  it('delivers a button press to bot.callbackQuery and records the answer', async () => {
    harness = await startBotOnEmulator((bot) => {
      bot.command('signal', (ctx) => ctx.reply('Long BTCUSDT?', { reply_markup: new InlineKeyboard().text('Approve', 'approve:42') }));
      bot.callbackQuery(/^approve:(\d+)$/, async (ctx) => {
        await ctx.answerCallbackQuery({ text: `Approved ${ctx.match[1]}` });
        await ctx.editMessageText(`Approved by ${ctx.from.first_name}`);
      });
    });
    const { emulator } = harness;
    emulator.userSendText(emulator.owner, '/signal');
    const question = await emulator.waitFor(() => botMessages(harness!, emulator.owner.id)[0]);
    expect(() => emulator.userPressButton(question.message_id, 'reject:42')).toThrow(/no button/);
    emulator.userPressButton(question.message_id, 'approve:42');
    const edited = await emulator.waitFor(() => emulator.messages(emulator.owner.id).find((m) => m.edit_date));
    expect(edited.text).toBe('Approved by Owner');
    expect(edited.reply_markup).toBeUndefined(); // Telegram drops the keyboard when an edit omits it
    expect(emulator.callbackAnswers).toEqual([expect.objectContaining({ text: 'Approved 42', data: 'approve:42' })]);
  });

  it('lets the bot download a document the user uploaded', async () => {
    const received: string[] = [];
    harness = await startBotOnEmulator((bot) => {
      bot.on('message:document', async (ctx) => {
        const file = await ctx.getFile();
        const response = await fetch(`${harness!.emulator.apiRoot}/file/bot${bot.token}/${file.file_path}`);
        received.push(`${ctx.message.document.file_name}|${ctx.message.caption}|${await response.text()}`);
        await ctx.reply('indexed');
      });
    });
    const { emulator } = harness;
    emulator.userUploadDocument('theory.md', Buffer.from('# Order blocks\nБычий ордер-блок'), 'text/markdown', 'my notes');
    await emulator.waitFor(() => botMessages(harness!, emulator.owner.id)[0]);
    expect(received).toEqual(['theory.md|my notes|# Order blocks\nБычий ордер-блок']);
  });

  it('a 429 with retry_after is retried by @grammyjs/auto-retry and then succeeds', async () => {
    harness = await startBotOnEmulator((bot) => {
      bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5 }));
    });
    const { emulator, bot } = harness;
    emulator.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const started = Date.now();
    const sent = await bot.api.sendMessage(emulator.owner.id, 'after the flood wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited retry_after = 1 s, as Telegram demands
    expect(emulator.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    expect(emulator.messages(emulator.owner.id).map((m) => m.message_id)).toEqual([sent.message_id]);
  });

  it('answers 403 when the user blocked the bot and 401 for a wrong token', async () => {
    harness = await startBotOnEmulator(() => undefined);
    const { emulator, bot } = harness;
    emulator.setBlocked(emulator.stranger);
    await expect(bot.api.sendMessage(emulator.stranger.id, 'hi')).rejects.toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const intruder = new Bot('999:wrong', { client: { apiRoot: emulator.apiRoot } });
    await expect(intruder.api.getMe()).rejects.toMatchObject({ error_code: 401 });
  });
});
