// The ceiling for the portal: one Express 5 route returning a fixed string, nothing else.
import express from 'express';

const app = express();
app.get('/', (_request, response) => {
  response.send('Hello from bare Express');
});
app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
