/**
 * Document key commands (package.json: documents:encrypt-existing, documents:rotate-key).
 *
 *   tsx src/features/documents/document-keys-cli.ts encrypt-existing
 *       encrypts the documents stored before encryption under the configured master key (idempotent)
 *   NEW_DOCUMENT_ENCRYPTION_KEY=<base64> tsx src/features/documents/document-keys-cli.ts rotate-key
 *       re-wraps each document's key under the new master key; then set DOCUMENT_ENCRYPTION_KEY to it
 *
 * The current master key is the portal's: DOCUMENT_ENCRYPTION_KEY, or outside production the
 * generated key file (which rotate-key then replaces). Stop the portal while the key rotates.
 * Both work on the configured store (DOCUMENT_STORE: the documents folder, or the S3 bucket).
 */
import 'dotenv/config';
import { ConfigError, loadConfig, type Config } from '../../config.ts';
import { documentMasterKey, masterKeyOf, parseMasterKey, writeKeyFile, type MasterKey } from './document-encryption.ts';
import { encryptExistingDocuments, rotateDocumentKey } from './document-key-commands.ts';
import { openDocumentStore, type DocumentStore } from './document-storage.ts';

const USAGE = 'Usage: tsx src/features/documents/document-keys-cli.ts encrypt-existing | rotate-key (with NEW_DOCUMENT_ENCRYPTION_KEY)';

async function main(): Promise<number> {
  const command = process.argv[2];
  const config = loadConfig();
  const current = documentMasterKey(config);
  const store = openDocumentStore(config.documentStore);
  try {
    return await runCommand(command, config, store, current);
  } finally {
    store.close();
  }
}

async function runCommand(command: string | undefined, config: Config, store: DocumentStore, current: MasterKey): Promise<number> {
  if (command === 'encrypt-existing') {
    const report = await encryptExistingDocuments(store, current);
    console.log(`Documents encrypted: ${report.encrypted}; already encrypted (skipped): ${report.skipped}.`);
    return 0;
  }
  if (command === 'rotate-key') {
    const next = parseMasterKey(process.env.NEW_DOCUMENT_ENCRYPTION_KEY ?? '');
    if (!next) {
      console.error('NEW_DOCUMENT_ENCRYPTION_KEY must be the new master key: 32 bytes in base64 (openssl rand -base64 32).');
      return 2;
    }
    const report = await rotateDocumentKey(store, [current], masterKeyOf(next));
    console.log(`Document keys re-wrapped: ${report.rewrapped}; already under the new key: ${report.already}; not encrypted yet: ${report.plain}.`);
    if (config.documentEncryptionKey) console.log('Now set DOCUMENT_ENCRYPTION_KEY to the new key and start the portal.');
    else {
      writeKeyFile(config.documentKeyFile, next);
      console.log(`The new key replaced the one in ${config.documentKeyFile}.`);
    }
    if (report.plain > 0) console.log('Run npm run documents:encrypt-existing for the files not encrypted yet.');
    if (report.otherKey > 0) {
      // Written under some older key: they open only with that key, so say so instead of hiding it.
      console.error(`Files under another master key, left as they are: ${report.otherKey}.`);
      return 1;
    }
    return 0;
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
