/**
 * A local S3-compatible server for the tests of the S3 document store: s3rver, in this process, on a
 * free loopback port, keeping its buckets in a temporary folder. It checks request signatures (with
 * its fixed key pair S3RVER/S3RVER), so the portal's S3 client talks to it as to any S3 endpoint.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3Server {
  endpoint: string;
  /** The portal's configuration for one bucket of this server (DOCUMENT_STORE=s3 and the rest). */
  configFor(bucket: string, prefix?: string): Record<string, string>;
  /** Creates a bucket with a fresh name and returns the name. */
  createBucket(): Promise<string>;
  /** The file in which the server keeps an object's bytes (to age or alter it behind the store's back). */
  objectFile(bucket: string, key: string): string;
  close(): Promise<void>;
}

const accessKeyId = 'S3RVER';
const secretAccessKey = 'S3RVER';

export async function startTestS3Server(): Promise<TestS3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-test-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    configFor(bucket, prefix = '') {
      return { DOCUMENT_STORE: 's3', S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_REGION: 'us-east-1', S3_PREFIX: prefix, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
    },
    async createBucket() {
      const bucket = `zhas-test-${randomUUID().slice(0, 8)}`;
      const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
      const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
      return bucket;
    },
    objectFile(bucket, key) {
      // s3rver's layout: <directory>/<bucket>/<key folders>/<last part>._S3rver_object
      const parts = key.split('/');
      const last = parts.pop()!;
      return path.join(directory, bucket, ...parts, `${last}._S3rver_object`);
    },
    async close() {
      try {
        await server.close();
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
