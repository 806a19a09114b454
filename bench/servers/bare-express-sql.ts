// A data page's floor: one Express 5 route that runs `STATEMENTS` statements through node-postgres
// (one after another, as a page's queries mostly run) and returns a fixed string. Its CPU per request
// is what the database round trips cost a Node process, before any of the portal's own work.
import express from 'express';
import pg from 'pg';

const statements = Number(process.env.STATEMENTS);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = express();
app.get('/', async (_request, response) => {
  let rows = 0;
  for (let index = 0; index < statements; index += 1) {
    const result = await pool.query('SELECT id, status, "regionId" FROM "Application" WHERE id = $1', [1 + ((index * 7919) % 1000)]);
    rows += result.rowCount ?? 0;
  }
  response.send(`Hello from bare Express after ${statements} statements (${rows} rows)`);
});
app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => void pool.end().finally(() => process.exit(0)));
