/**
 * The web chat in headless Chromium on a phone viewport, with a real grammY bot behind the emulator.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InlineKeyboard, InputFile } from 'grammy';
import { chromium, type Browser } from 'playwright-core';
import { createWebChat, type WebChat } from '../../../src/bot/emulator/index.ts';
import { solidPng, startBotOnEmulator, type BotHarness } from '../../helpers/bot-api-client.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/ita-web-chat.png';

let harness: BotHarness;
let chat: WebChat;
let browser: Browser;
const uploads: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with "apt-get update && apt-get install -y --no-install-recommends chromium"`);
  }
  harness = await startBotOnEmulator((bot) => {
    bot.command('start', async (ctx) => {
      await ctx.replyWithChatAction('upload_photo');
      await ctx.replyWithPhoto(new InputFile(solidPng(360, 200, [46, 125, 50]), 'signal.png'), {
        caption: '<b>BTCUSDT 1h</b> long setup\nEntry <code>64 250</code>, stop <i>63 700</i>',
        parse_mode: 'HTML',
        reply_markup: new InlineKeyboard().text('✅ Approve', 'approve:7').text('❌ Reject', 'reject:7'),
      });
    });
    bot.callbackQuery('approve:7', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Sent to the paper broker' });
      await ctx.editMessageCaption({ caption: '<b>BTCUSDT 1h</b> long — <u>approved</u>', parse_mode: 'HTML' });
    });
    bot.on('message:document', (ctx) => {
      uploads.push(ctx.message.document.file_name ?? '');
      return ctx.reply(`Got <b>${ctx.message.document.file_name}</b>`, { parse_mode: 'HTML' });
    });
    bot.on('message:text', (ctx) => ctx.reply(ctx.message.text)); // echo, to prove user text is shown as text
  });
  await harness.bot.api.setMyCommands([{ command: 'start', description: 'Start the bot' }, { command: 'help', description: 'Help' }]);
  chat = createWebChat({ emulator: harness.emulator, port: 0 });
  await chat.start();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await chat?.stop();
  await harness?.stop();
});

describe('web chat', () => {
  it('shows the photo and buttons, presses a button and shows the edit live', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(chat.url);
    await page.waitForSelector('body[data-live="1"]');
    await page.fill('#input', '/start');
    await page.press('#input', 'Enter');

    const photo = page.locator('.row.bot img');
    await photo.waitFor();
    await page.waitForFunction("document.querySelector('.row.bot img')?.naturalWidth === 360"); // decoded, not broken
    expect(await page.locator('.row.bot .text b').first().textContent()).toBe('BTCUSDT 1h');
    expect(await page.locator('.row.bot .text code').textContent()).toBe('64 250');
    expect(await page.locator('.row.user .text').textContent()).toBe('/start');

    await page.screenshot({ path: SCREENSHOT.replace('.png', '-keyboard.png') });
    const approve = page.getByRole('button', { name: '✅ Approve' });
    await approve.click();
    await page.locator('.row.bot .text u', { hasText: 'approved' }).waitFor();
    expect(await page.locator('.row.bot .keyboard').count()).toBe(0); // the edit dropped the keyboard
    await page.locator('#toast', { hasText: 'Sent to the paper broker' }).waitFor();
    expect(harness.emulator.callbackAnswers.map((a) => a.data)).toEqual(['approve:7']);

    await page.click('#menu-btn');
    expect(await page.locator('#menu .cmd').allTextContents()).toEqual(['/start', '/help']);
    await page.click('#menu-btn');
    await page.screenshot({ path: SCREENSHOT });
    await page.close();
  });

  it('renders user text as text, never as HTML, and uploads a file through the attach button', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(chat.url);
    await page.waitForSelector('body[data-live="1"]');
    const hostile = '<img src=x onerror="document.title=1"> <b>not bold</b>';
    await page.fill('#input', hostile);
    await page.press('#input', 'Enter');
    await page.locator('.row.bot .text', { hasText: 'not bold' }).waitFor(); // the bot's plain-text echo
    expect(await page.locator('.row .text img').count()).toBe(0);
    expect(await page.locator('.row .text b', { hasText: 'not bold' }).count()).toBe(0);
    expect(await page.locator('.row.user .text').last().textContent()).toBe(hostile);

    await page.setInputFiles('#file', { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# FVG\n') });
    await page.locator('.row.bot .text b', { hasText: 'notes.md' }).waitFor();
    expect(uploads).toEqual(['notes.md']);
    const link = page.locator('.row.user a.doc').last();
    expect(await link.getAttribute('download')).toBe('notes.md');
    const downloaded = await page.evaluate(async (href) => (await fetch(href)).text(), (await link.getAttribute('href'))!);
    expect(downloaded).toBe('# FVG\n');
    await page.close();
  });
});
