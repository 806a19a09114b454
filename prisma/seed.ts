// `npm run db:seed`: applies migrations, then writes the demo data into an empty database.
import 'dotenv/config';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/db/configured-database.ts';
import { openDocumentStore } from '../src/features/documents/document-storage.ts';
import { demoAccounts, demoPassword, seedDemoData } from './demo-data.ts';

const config = loadConfig();
const database = await openConfiguredDatabase(config);
const documentStore = openDocumentStore(config.documentStore);
try {
  const { seeded } = await seedDemoData(database.prisma, { applicationsStore: documentStore, documentKeys: config });
  console.log(seeded ? 'Demo data written.' : 'The database already has data; nothing was changed.');
  console.log(`Demo accounts (password "${demoPassword}"): ${demoAccounts.map((account) => account.email).join(', ')}`);
} finally {
  await database.close();
  documentStore.close();
}
