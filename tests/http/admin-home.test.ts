import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';

let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
});
afterAll(async () => {
  await portal.close();
});

/** The coordinator's home: each figure with its label, e.g. "1 ментор". */
function statistics(html: string): string[] {
  return [...html.matchAll(/<span class="stat-value">(\d+)<\/span><span class="stat-label">([^<]*)<\/span>/g)].map((match) => `${match[1]} ${match[2]}`);
}

describe('GET /admin (the coordinator\'s home)', () => {
  it('says each figure with the plural its number takes, in every language', async () => {
    const prisma = portal.database.prisma;
    // One active mentor, no youth groups, five e-mails waiting.
    await prisma.user.updateMany({ where: { role: 'MENTOR' }, data: { isActive: false } });
    const mentor = await prisma.user.findFirstOrThrow({ where: { role: 'MENTOR' } });
    await prisma.user.update({ where: { id: mentor.id }, data: { isActive: true } });
    await prisma.youthGroup.deleteMany({});
    await prisma.outboxEmail.deleteMany({});
    await prisma.outboxEmail.createMany({
      data: Array.from({ length: 5 }, (_, index) => ({ toAddress: `person${index}@example.kz`, subject: 'Тема', template: 'test', textBody: 'Текст', htmlBody: '<p>Текст</p>' })),
    });
    const coordinator = await loginAs(portal.app, 'coordinator');

    const russian = statistics((await coordinator.get('/admin').expect(200)).text);
    expect(russian).toContain('1 ментор');
    expect(russian).toContain('0 молодёжных групп');
    expect(russian).toContain('5 писем ждут отправки');
    const english = statistics((await coordinator.get('/admin?lang=en').expect(200)).text);
    expect(english).toContain('1 mentor');
    expect(english).toContain('0 youth groups');
    expect(english).toContain('5 e-mails waiting to be sent');
    const kazakh = statistics((await coordinator.get('/admin?lang=kk').expect(200)).text);
    expect(kazakh).toContain('1 тәлімгер');
  });
});
