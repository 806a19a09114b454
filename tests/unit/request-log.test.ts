import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { requestLog } from '../../src/http/request-log.ts';

function appLoggingInto(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = express();
  app.use(requestLog(pino({ level: 'info', base: undefined }, sink)));
  app.get('/status/:token', (request, response) => {
    request.log.info('inside the handler');
    response.send(request.id);
  });
  return app;
}

describe('request log', () => {
  it('gives each request an id and logs one line without the query string or secret tokens', async () => {
    const lines: Record<string, unknown>[] = [];
    const response = await supertest(appLoggingInto(lines)).get('/status/SECRET-TOKEN?email=aigerim@example.kz').expect(200);
    expect(response.headers['x-request-id']).toBe(response.text);
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({ requestId: response.text, method: 'GET', path: '/status/:token', status: 200 });
    expect(lines.find((line) => line.msg === 'inside the handler')).toMatchObject({ requestId: response.text });
    expect(JSON.stringify(lines)).not.toMatch(/SECRET-TOKEN|aigerim/);
  });
});
