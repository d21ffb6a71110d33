/**
 * /settings through its inline keyboard and typed forms (language switch included), and the knowledge base:
 * /ask, plain-text questions, /docs, /forget with confirmation, and document uploads with progress edits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain, startIta, type ItaHarness } from './harness.ts';

let h: ItaHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const edited = (h: ItaHarness, messageId: number, includes: string) =>
  h.emulator.waitFor(() => {
    const message = h.botMessages().find((m) => m.message_id === messageId);
    return message && plain(message).includes(includes) ? message : undefined;
  }, 5000, `message ${messageId} to show “${includes}”`);

describe('/settings', () => {
  it('buttons change score, quiet hours, time zone and language; the language then sticks', async () => {
    h = await startIta();
    const view = await h.say('/settings');
    expect(plain(view)).toContain('Минимальная оценка: 5');
    h.emulator.userPressButton(view.message_id, 'st:score:+');
    await edited(h, view.message_id, 'Минимальная оценка: 6');
    h.emulator.userPressButton(view.message_id, 'st:quiet:22:00-07:00');
    await edited(h, view.message_id, 'Тихие часы: 22:00-07:00');
    h.emulator.userPressButton(view.message_id, 'st:tz:3');
    await edited(h, view.message_id, 'Часовой пояс: Europe/Moscow');
    h.emulator.userPressButton(view.message_id, 'st:lang:en');
    await edited(h, view.message_id, 'Language: English');
    expect(h.fakes.settings.get(h.ownerId)).toEqual({ language: 'en', minScore: 6, timezone: 'Europe/Moscow', quietHours: '22:00-07:00', askOnPlainText: false });
    expect(h.emulator.callbackAnswers.map((a) => a.text)).toEqual(['Сохранено.', 'Сохранено.', 'Сохранено.', 'Saved.']);
    // The Telegram client still says "ru", but the explicit choice wins from now on.
    expect(plain(await h.say('/start'))).toMatch(/^👋 Hi, Owner!/);
    // ...and so does the command menu of this chat.
    const menu = h.emulator.commandsFor(h.ownerId);
    expect(menu.find((c) => c.command === 'settings')?.description).toBe('Minimum score, quiet hours, time zone, language');
  });

  it('typed forms validate their values', async () => {
    h = await startIta();
    expect(plain(await h.say('/settings tz Mars/Olympus'))).toBe('«Mars/Olympus» — не часовой пояс IANA, например Europe/Moscow.');
    expect(plain(await h.say('/settings quiet 25:00-07:00'))).toContain('Тихие часы пишутся как 22:00-07:00');
    expect(plain(await h.say('/settings score 11'))).toContain('получено «11»');
    expect(plain(await h.say('/settings tz Europe/Berlin'))).toContain('Часовой пояс: Europe/Berlin');
    expect(h.fakes.settings.get(h.ownerId)?.timezone).toBe('Europe/Berlin');
  });
});

describe('knowledge base', () => {
  it('/ask answers from the knowledge service; plain text asks only when enabled', async () => {
    h = await startIta();
    expect((await h.say('/ask что такое FVG?')).text).toBe('<b>Answer</b> to что такое FVG? [1]');
    expect(h.fakes.calls).toContain('ask ru что такое FVG?');
    h.emulator.userSendText(h.ownerId, 'просто текст');
    expect(plain(await h.say('/docs'))).toContain('7. smc.pdf — фрагментов: 40, страниц: 12');
    expect(h.fakes.calls.filter((c) => c.startsWith('ask'))).toHaveLength(1);
    await h.say('/settings ask');
    expect(plain(await h.say('а что такое BOS?'))).toBe('Answer to а что такое BOS? [1]');
  });

  it('/forget asks for confirmation before removing', async () => {
    h = await startIta();
    expect(plain(await h.say('/forget 99'))).toBe('Нет документа с id 99. Список: /docs.');
    const confirm = await h.say('/forget 7');
    expect(plain(confirm)).toBe('Удалить «smc.pdf» из базы знаний?');
    expect(h.fakes.calls).not.toContain('forget 7');
    h.emulator.userPressButton(confirm.message_id, 'kb:forget:7');
    await edited(h, confirm.message_id, 'Документ 7 удалён.');
    expect(h.fakes.calls).toContain('forget 7');
  });

  it('an uploaded document reaches services.knowledge.ingest, with its progress message edited', async () => {
    h = await startIta();
    const bytes = Buffer.from('# Order blocks\nБычий ордер-блок — последняя медвежья свеча перед импульсом.');
    const upload = h.emulator.userUploadDocument('theory.md', bytes, 'text/markdown');
    const progress = await h.nextBotMessage(upload.message_id);
    expect(plain(progress)).toBe('📥 theory.md: загружаю…');
    await edited(h, progress.message_id, '✅ theory.md проиндексирован: фрагментов 3');
    expect(h.fakes.ingested).toHaveLength(1);
    expect(h.fakes.ingested[0].name).toBe('theory.md');
    expect(h.fakes.ingested[0].bytes.equals(bytes)).toBe(true);
    const edits = h.emulator.calls.filter((c) => c.method === 'editMessageText' && Number(c.params.message_id) === progress.message_id);
    expect(edits.length).toBeGreaterThanOrEqual(2); // at least one progress frame and the final text
  });

  it('refuses a wrong type and a file over 20 MB before downloading anything', async () => {
    h = await startIta();
    const exe = h.emulator.userUploadDocument('tool.exe', Buffer.from('MZ'), 'application/octet-stream');
    expect(plain(await h.nextBotMessage(exe.message_id))).toContain('«tool.exe» к ним не относится');
    const big = h.emulator.userUploadDocument('huge.pdf', Buffer.alloc(20 * 1024 * 1024 + 1), 'application/pdf');
    expect(plain(await h.nextBotMessage(big.message_id))).toMatch(/^«huge\.pdf» весит 20\.0 МБ\. Telegram разрешает ботам скачивать файлы не больше 20 МБ/);
    expect(h.emulator.calls.filter((c) => c.method === 'getFile')).toHaveLength(0);
    expect(h.fakes.ingested).toHaveLength(0);
  });

  it('shows an ingest failure clearly', async () => {
    h = await startIta();
    h.fakes.services.knowledge!.ingest = async () => {
      throw new Error('PDF has no text layer (scanned?)');
    };
    const upload = h.emulator.userUploadDocument('scan.pdf', Buffer.from('%PDF-1.4'), 'application/pdf');
    const progress = await h.nextBotMessage(upload.message_id);
    await edited(h, progress.message_id, '⚠️ Не удалось проиндексировать scan.pdf: PDF has no text layer (scanned?)');
  });
});
