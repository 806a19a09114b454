/**
 * Which document store the test portals use, and what stands under it: the upload folder's documents
 * (disk), or an s3rver of the portal's own with a fresh bucket (s3). TEST_DOCUMENT_STORE=s3 (npm run
 * test:s3) runs the document tests on the S3 driver; the disk is the default.
 */
import path from 'node:path';
import { documentsDir, type DocumentStore } from '../../src/features/documents/document-storage.ts';
import { startTestS3Server } from './s3-test-server.ts';

export type TestDocumentStoreDriver = 'disk' | 's3';

/** The store the test portals use: TEST_DOCUMENT_STORE=s3 (npm run test:s3) for the S3 driver, else the disk. */
export function testDocumentStoreDriver(): TestDocumentStoreDriver {
  return process.env.TEST_DOCUMENT_STORE === 's3' ? 's3' : 'disk';
}

/** What holds a test portal's documents: with s3, an s3rver of its own with a fresh bucket. */
export interface TestDocumentBackend {
  driver: TestDocumentStoreDriver;
  /** The portal's configuration variables for this store. */
  config: Record<string, string>;
  /** The local file that holds a stored document's bytes, to age or alter it behind the store's back. */
  backingFileOf(storedName: string): string;
  close(): Promise<void>;
}

export async function startTestDocumentBackend(driver: TestDocumentStoreDriver, uploadDir: string, options: { prefix?: string } = {}): Promise<TestDocumentBackend> {
  if (driver === 'disk') {
    return { driver, config: { DOCUMENT_STORE: 'disk' }, backingFileOf: (storedName) => path.join(documentsDir(uploadDir), storedName), close: async () => {} };
  }
  const server = await startTestS3Server();
  try {
    const bucket = await server.createBucket();
    const prefix = options.prefix ?? '';
    return { driver, config: server.configFor(bucket, prefix), backingFileOf: (storedName) => server.objectFile(bucket, `${prefix}${storedName}`), close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** A portal's documents as a test sees them: the portal's own store, and the files under it. */
export interface TestDocuments {
  uploadDir: string;
  store: DocumentStore;
  backingFileOf(storedName: string): string;
}
