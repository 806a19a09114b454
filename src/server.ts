// Entry point of `npm start`: apply pending migrations, seed an empty database with the demo,
// listen, and shut down cleanly on SIGINT/SIGTERM.
import 'dotenv/config';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openConfiguredDatabase } from './db/configured-database.ts';
import { createLogger } from './lib/logger.ts';
import { documentStoreOf } from './features/documents/document-storage.ts';
import { startOrphanDocumentSweep } from './features/documents/orphan-document-sweep.ts';
import { startProtocolReminderJob } from './features/mentoring/protocol-reminders.ts';
import { startCoordinatorDigestJob } from './features/mentoring/coordinator-digests.ts';
import { startRetentionJob } from './features/retention/retention.job.ts';
import { createMailTransport } from './features/mail/mail-transport.ts';
import { startOutboxWorker } from './features/mail/outbox-worker.ts';
import { createSmsSender } from './features/sms/sms-sender.ts';
import { demoAccounts, demoPassword, seedDemoData } from '../prisma/demo-data.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const logger = createLogger(config.logLevel);

const database = await openConfiguredDatabase(config, logger);
// The same store the routers get (documentStoreOf gives one per configuration).
const documentStore = documentStoreOf(config);
if (config.demoSeed === 'auto') {
  const { seeded } = await seedDemoData(database.prisma, { applicationsStore: documentStore, documentKeys: config });
  if (seeded) logger.info('demo data written into the empty database');
}

const portal = await createApp({ config, database, logger });
const orphanSweep = startOrphanDocumentSweep({ prisma: database.prisma, uploadDir: config.uploadDir, store: documentStore, logger, graceMs: config.orphanFileGraceMs });
// Days before the month ends: 5 by default (a config variable is proposed in the mentoring issue's note).
const protocolReminders = startProtocolReminderJob({ prisma: database.prisma, logger, baseUrl: config.baseUrl, daysBeforeMonthEnd: config.protocolReminderDaysBeforeMonthEnd });
// The coordinator's daily digests (resubmitted and missing protocols), from 09:00 in Almaty.
const coordinatorDigests = startCoordinatorDigestJob({ prisma: database.prisma, logger, baseUrl: config.baseUrl });
// Documents of applicants not selected deleted, their applications anonymised, when each cohort's periods pass.
const retention = startRetentionJob({ prisma: database.prisma, store: documentStore, logger });
const mailTransport = createMailTransport(config);
const outboxWorker = startOutboxWorker({ prisma: database.prisma, transport: mailTransport, smsSender: createSmsSender(config), logger, from: config.mailFrom });
const server = portal.app.listen(config.port, config.host, () => {
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.pgliteDataDir}`;
  console.log(`\nZhas mentor portal: ${config.baseUrl} (database: ${where}; documents: ${documentStore.description})`);
  if (config.demoSeed === 'auto' && !config.isProduction) {
    console.log(`Demo accounts, password "${demoPassword}":`);
    for (const account of demoAccounts) console.log(`  ${account.role.padEnd(11)} ${account.email}`);
  }
  console.log('Stop with Ctrl+C.\n');
});

let shuttingDown = false;
async function shutDown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down');
  // Requests in flight finish (at most 5 s) before the database closes under them.
  const requestsFinished = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 5_000).unref();
  orphanSweep.stop();
  await protocolReminders.stop();
  await coordinatorDigests.stop();
  await retention.stop();
  await outboxWorker.stop();
  mailTransport.close();
  await portal.stop();
  await requestsFinished;
  await database.close();
  documentStore.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutDown('SIGINT'));
process.on('SIGTERM', () => void shutDown('SIGTERM'));
