import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmailRenderer, emailLanguages, renderEmail } from '../../src/features/mail/email-templates.ts';

const statusUrl = 'https://mentors.zhas.kz/status/Zq3x-9tK_abc?lang=ru&from=mail';
const hostile = '<script>alert("x")</script> Айгүл & Co';

const templates = {
  'application-received': { fullName: 'Айгүл Серікова', number: 'ZM-2026-00042', statusUrl, cohortName: 'Менторы 2026' },
  'document-requested': {
    fullName: 'Айгүл Серікова',
    number: 'ZM-2026-00042',
    statusUrl,
    documentName: 'Справка о несудимости',
    message: 'Скан нечитаем,\nзагрузите, пожалуйста, заново.',
  },
} as const;

// Words that only the intended language would use, to catch a template showing the wrong language.
const languageMarkers = {
  ru: { 'application-received': /Здравствуйте[\s\S]*ментором/, 'document-requested': /Здравствуйте[\s\S]*Комиссия рассматривает/ },
  kk: { 'application-received': /Сәлеметсіз бе[\s\S]*тәлімгері/, 'document-requested': /Сәлеметсіз бе[\s\S]*өтініміңізді/ },
  en: { 'application-received': /Hello[\s\S]*become a mentor/, 'document-requested': /Hello[\s\S]*asks you to upload/ },
} as const;

const cases = Object.keys(templates).flatMap((template) => emailLanguages.map((language) => [template, language] as const)) as [keyof typeof templates, (typeof emailLanguages)[number]][];

describe('renderEmail', () => {
  it.each(cases)('%s in %s has a subject, a text and an HTML part with the number and the link', async (template, language) => {
    const email = await renderEmail(template, language, templates[template]);
    expect(email.subject).toContain('ZM-2026-00042');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('ZM-2026-00042');
    expect(email.text).toContain(statusUrl); // plain text: the & of the query string stays as it is
    expect(email.text).toContain('Айгүл Серікова');
    expect(email.text).not.toMatch(/<[a-z]/i);
    expect(email.html).toContain('ZM-2026-00042');
    expect(email.html).toContain(`href="${statusUrl.replace(/&/g, '&amp;')}"`);
    expect(email.html).toContain(`<html lang="${language}">`);
    expect(email.text).toMatch(languageMarkers[language][template]);
  });

  it.each(emailLanguages)('warns in %s that the status link is personal', async (language) => {
    const { text } = await renderEmail('application-received', language, templates['application-received']);
    const warning = { ru: /никому её не пересылайте/, kk: /оны ешкімге жібермеңіз/, en: /do not forward it/ }[language];
    expect(text).toMatch(warning);
  });

  it('gives each language its own subject', async () => {
    const subjects = await Promise.all(emailLanguages.map(async (language) => (await renderEmail('application-received', language, templates['application-received'])).subject));
    expect(new Set(subjects).size).toBe(3);
  });

  it.each(cases)('%s in %s escapes a hostile name in the HTML part and keeps it as typed in the text part', async (template, language) => {
    const email = await renderEmail(template, language, { ...templates[template], fullName: hostile });
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Айгүл &amp; Co');
    expect(email.text).toContain(hostile);
  });

  it('shows the committee comment of a document request, escaped, and leaves it out when there is none', async () => {
    const withComment = await renderEmail('document-requested', 'ru', { ...templates['document-requested'], message: 'Нужен <b>оригинал</b>' });
    expect(withComment.text).toContain('Нужен <b>оригинал</b>');
    expect(withComment.html).toContain('Нужен &lt;b&gt;оригинал&lt;/b&gt;');
    const { message: _message, ...withoutMessage } = templates['document-requested'];
    const without = await renderEmail('document-requested', 'en', withoutMessage);
    expect(without.text).not.toContain("committee's comment");
    expect(without.text).not.toMatch(/\n{3,}/);
  });

  it('refuses a link that is not an absolute http(s) URL', async () => {
    await expect(renderEmail('application-received', 'ru', { ...templates['application-received'], statusUrl: 'javascript:alert(1)' })).rejects.toThrow(/statusUrl/);
  });

  it('refuses an unknown template or a template name that leaves the folder', async () => {
    await expect(renderEmail('no-such-template', 'ru', {})).rejects.toThrow(/no-such-template/);
    await expect(renderEmail('../layout', 'ru', {})).rejects.toThrow(/Invalid e-mail template name/);
  });
});

describe('language fallback', () => {
  let folder: string | undefined;
  afterAll(async () => {
    if (folder) await fs.rm(folder, { recursive: true, force: true });
  });

  it('uses the Russian version when the language has no template, and the language when it has one', async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'zhas-email-templates-'));
    await fs.mkdir(path.join(folder, 'greeting'));
    await fs.writeFile(path.join(folder, 'greeting', 'ru.subject.ejs'), 'Привет, <%= name %>');
    await fs.writeFile(path.join(folder, 'greeting', 'ru.text.ejs'), 'Текст для <%= name %>');
    await fs.writeFile(path.join(folder, 'greeting', 'ru.html.ejs'), '<p>HTML для <%= name %></p>');
    await fs.writeFile(path.join(folder, 'greeting', 'en.subject.ejs'), 'Hello, <%= name %>');
    await fs.writeFile(path.join(folder, 'greeting', 'en.text.ejs'), 'Text for <%= name %>');
    await fs.writeFile(path.join(folder, 'greeting', 'en.html.ejs'), '<p>HTML for <%= name %></p>');
    const render = createEmailRenderer(folder);

    const kazakh = await render('greeting', 'kk', { name: 'A&B' });
    expect(kazakh).toEqual({ subject: 'Привет, A&B', text: 'Текст для A&B\n', html: '<p>HTML для A&amp;B</p>' });
    const english = await render('greeting', 'en', { name: 'A&B' });
    expect(english.subject).toBe('Hello, A&B');
  });
});
