import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { loginAs, startTestPortal, type TestPortal } from '../helpers/test-app.ts';
import { createApplication } from '../helpers/application-fixtures.ts';

let portal: TestPortal;
let database: Database;
let member: supertest.Agent;

beforeAll(async () => {
  portal = await startTestPortal({ seed: 'demo' });
  database = portal.database;
  member = await loginAs(portal.app, 'member');
});
afterAll(async () => {
  await portal.close();
});

/** The Content-Disposition of a document stored under `originalName` with the detected type `mimeType`. */
async function dispositionFor(originalName: string, mimeType = 'application/pdf', download = true): Promise<string> {
  const application = await createApplication(database.prisma, { regionCode: 'ASTANA', documents: portal.documents });
  const document = await database.prisma.applicationDocument.update({ where: { id: application.documents[0].id }, data: { originalName, mimeType } });
  const response = await member.get(`/committee/applications/${application.id}/documents/${document.id}${download ? '?download=1' : ''}`).expect(200);
  expect(response.headers['content-type']).toBe(mimeType);
  return response.headers['content-disposition'] as string;
}

/** The two names of a Content-Disposition: the quoted ASCII fallback and the decoded RFC 5987 filename*. */
function namesOf(disposition: string) {
  const match = /^(inline|attachment); filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(disposition);
  expect(match, disposition).not.toBeNull();
  return { type: match![1], fallback: match![2], utf8: decodeURIComponent(match![3]) };
}

describe('GET /committee/applications/:id/documents/:documentId file names', () => {
  it('take the extension of the detected type, not the one typed: passwd"; x=.html is served as a .pdf', async () => {
    const names = namesOf(await dispositionFor('passwd"; x=.html'));
    expect(names.type).toBe('attachment');
    expect(names.fallback).toMatch(/\.pdf$/);
    expect(names.fallback).not.toMatch(/["\\;]/);
    expect(names.fallback).not.toContain('.html');
    expect(names.utf8).toBe('passwd"; x=.pdf');
  });

  it('keep the UTF-8 name in filename* with an ASCII fallback, and the type of a JPEG or PNG', async () => {
    const cyrillic = namesOf(await dispositionFor('удостоверение (скан).jpeg.exe', 'image/jpeg', false));
    expect(cyrillic.type).toBe('inline');
    expect(cyrillic.utf8).toBe('удостоверение (скан).jpeg.jpg');
    expect(cyrillic.fallback).toMatch(/^[A-Za-z0-9._\-() ]+\.jpg$/);

    const png = namesOf(await dispositionFor('scan', 'image/png'));
    expect(png).toMatchObject({ fallback: 'scan.png', utf8: 'scan.png' });
    const pdf = namesOf(await dispositionFor("it's (final)*.PDF"));
    expect(pdf.utf8).toBe("it's (final)*.pdf");
  });
});
