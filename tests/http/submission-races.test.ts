import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { postApplication, regionIdOf, validFields } from '../helpers/application-form.ts';

let database: Database;
let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo', config: { SUBMISSIONS_PER_IP_PER_HOUR: '1000' } });
  database = portal.database;
});
afterAll(async () => {
  await portal.close();
});

describe('concurrent submissions', () => {
  it('accepts exactly one of 20 simultaneous applications with one IIN; the others get the duplicate message and leave no files', async () => {
    const fields = validFields(await regionIdOf(database.prisma, 'ASTANA'));
    const responses = await Promise.all(Array.from({ length: 20 }, () => postApplication(supertest.agent(portal.app), { ...fields })));
    const accepted = responses.filter((response) => response.status === 303);
    const refused = responses.filter((response) => response.status === 422);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const response of refused) expect(response.text).toContain('Заявка с этим ИИН в этом наборе уже подана');
    expect(await database.prisma.application.count({ where: { iin: fields.iin as string } })).toBe(1);
    // The refused attempts' files are only held for their sessions; the accepted application's are recorded.
    const recorded = await database.prisma.applicationDocument.count();
    expect(recorded).toBe(9);
  });

  it('numbers simultaneous applications without gaps or repeats', async () => {
    const regionId = await regionIdOf(database.prisma, 'ALMATY');
    const responses = await Promise.all(Array.from({ length: 8 }, () => postApplication(supertest.agent(portal.app), validFields(regionId))));
    expect(responses.every((response) => response.status === 303)).toBe(true);
    const numbers = (await database.prisma.application.findMany({ select: { number: true } })).map((row) => Number(row.number.slice(-5))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, index) => index + 1));
  });
});
