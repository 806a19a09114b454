import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DocumentStoreSettings } from '../../config.ts';
import type { DocumentStore, StoredEntry, StoredObject } from './document-storage.ts';
import { assertStoredName, isStoredName } from './stored-names.ts';

type S3Settings = Extract<DocumentStoreSettings, { driver: 's3' }> & {
  /** A local folder for the copies editLocally works on. */
  scratchDir: string;
  /** Objects per list request (1000, S3's most); smaller in tests, to go through the pages. */
  listPageSize?: number;
};

type Sdk = typeof import('@aws-sdk/client-s3');

/** Tries of one upload (each from a fresh read of the local file: the SDK cannot retry a stream it has read). */
const uploadAttempts = 3;

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return statusOf(error) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

/** Worth another try: the network, S3 slowing down (503, 429), a server error; not a refusal (403, 400). */
function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500 || status === 429 || status === 408;
}

/**
 * DOCUMENT_STORE=s3: documents as objects `<S3_PREFIX><stored name>` of one bucket, on AWS or any
 * S3-compatible server (S3_ENDPOINT, path-style addresses). The SDK is loaded on first use, so a
 * portal on the disk store never loads it.
 */
export class S3DocumentStore implements DocumentStore {
  readonly description: string;
  private connection?: Promise<{ sdk: Sdk; client: S3Client }>;

  constructor(private readonly settings: S3Settings) {
    this.description = `s3 (${settings.endpoint ? `${settings.endpoint}, ` : ''}bucket ${settings.bucket}${settings.prefix ? `, prefix ${settings.prefix}` : ''})`;
  }

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.connection ??= import('@aws-sdk/client-s3').then((sdk) => {
      const { endpoint, region, forcePathStyle, credentials } = this.settings;
      const client = new sdk.S3Client({
        region,
        endpoint,
        forcePathStyle,
        credentials,
        // Every download streams from S3 for as long as the reader takes: room for many at once (the
        // SDK's default is 50 sockets, then requests queue), and a dead endpoint fails fast.
        requestHandler: { connectionTimeout: 5_000, httpAgent: { keepAlive: true, maxSockets: 256 }, httpsAgent: { keepAlive: true, maxSockets: 256 } },
        // Off AWS, send checksums only where S3 requires them: the SDK's default CRC32 trailer turns a
        // streamed upload into aws-chunked encoding, which some S3-compatible servers store as it is
        // (seen with s3rver). The files are authenticated by their own AES-GCM tag anyway.
        ...(endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
      });
      return { sdk, client };
    });
    return this.connection;
  }

  private keyOf(storedName: string): string {
    return `${this.settings.prefix}${assertStoredName(storedName)}`;
  }

  async putFile(storedName: string, localPath: string): Promise<void> {
    const { sdk, client } = await this.connect();
    const Key = this.keyOf(storedName);
    const { size } = await fs.promises.stat(localPath);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new sdk.PutObjectCommand({ Bucket: this.settings.bucket, Key, Body: fs.createReadStream(localPath), ContentLength: size, ContentType: 'application/octet-stream' }));
        break;
      } catch (error) {
        if (attempt >= uploadAttempts || !isTransient(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    await fs.promises.rm(localPath, { force: true });
  }

  async open(storedName: string): Promise<StoredObject | null> {
    const { sdk, client } = await this.connect();
    try {
      const answer = await client.send(new sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(storedName) }));
      return { stream: answer.Body as Readable, sizeBytes: answer.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async readHead(storedName: string, length: number): Promise<Buffer | null> {
    const { sdk, client } = await this.connect();
    try {
      const answer = await client.send(new sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(storedName), Range: `bytes=0-${length - 1}` }));
      return Buffer.from(await answer.Body!.transformToByteArray()).subarray(0, length);
    } catch (error) {
      if (isMissing(error)) return null;
      // An empty object has no byte 0: S3 answers 416.
      if (statusOf(error) === 416) return Buffer.alloc(0);
      throw error;
    }
  }

  async exists(storedName: string): Promise<boolean> {
    const { sdk, client } = await this.connect();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(storedName) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async remove(storedNames: string[]): Promise<void> {
    if (storedNames.length === 0) return;
    const keys = storedNames.map((storedName) => this.keyOf(storedName));
    const { sdk, client } = await this.connect();
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      let answer;
      try {
        answer = await client.send(new sdk.DeleteObjectsCommand({ Bucket: this.settings.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      } catch (error) {
        if (isTransient(error)) throw error;
        // Some S3-compatible servers refuse the batch call (it needs a checksum header they do not know): one by one.
        for (const Key of batch) await client.send(new sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key }));
        continue;
      }
      const failed = (answer.Errors ?? []).filter((entry) => entry.Code !== 'NoSuchKey');
      if (failed.length > 0) throw new Error(`S3 refused to delete ${failed.length} document(s): ${failed[0].Code ?? ''} ${failed[0].Message ?? ''}`.trim());
    }
  }

  async *list(): AsyncIterable<StoredEntry[]> {
    const { sdk, client } = await this.connect();
    const { prefix } = this.settings;
    let ContinuationToken: string | undefined;
    do {
      const answer = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: prefix || undefined, ContinuationToken, MaxKeys: this.settings.listPageSize ?? 1000 }));
      const page: StoredEntry[] = [];
      for (const object of answer.Contents ?? []) {
        const storedName = object.Key?.slice(prefix.length) ?? '';
        // Only the portal's own names directly under the prefix: other objects of the bucket are left alone.
        if (object.Key?.startsWith(prefix) && isStoredName(storedName) && object.LastModified) page.push({ storedName, writtenAt: object.LastModified });
      }
      if (page.length > 0) yield page;
      ContinuationToken = answer.IsTruncated ? answer.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /** S3 objects cannot be changed in place: the key commands work on a local copy that replaces the object when changed. */
  async editLocally<T>(storedName: string, edit: (localPath: string) => Promise<{ changed: boolean; result: T }>): Promise<T> {
    const stored = await this.open(storedName);
    if (!stored) throw Object.assign(new Error(`no stored document ${storedName}`), { code: 'ENOENT' });
    await fs.promises.mkdir(this.settings.scratchDir, { recursive: true });
    const copy = path.join(this.settings.scratchDir, `${storedName}.${randomBytes(4).toString('hex')}.edit`);
    try {
      await pipeline(stored.stream, fs.createWriteStream(copy, { mode: 0o600 }));
      const { changed, result } = await edit(copy);
      if (changed) await this.putFile(storedName, copy);
      return result;
    } finally {
      await fs.promises.rm(copy, { force: true });
    }
  }

  close(): void {
    void this.connection?.then(({ client }) => client.destroy(), () => undefined);
  }
}
