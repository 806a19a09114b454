import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('gives working defaults for a fresh machine: port 3000, embedded database', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.pgliteDataDir).toMatch(/data[/\\]pglite$/);
  });

  it('treats empty variables as not set', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
  });

  it('names every bad variable with a clear reason', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', NODE_ENV: 'production', SESSION_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL: must start with postgresql://');
      expect(message).toContain('SESSION_SECRET: must be at least 32 characters long');
    }
  });

  it('never writes the demo accounts into a production database unless asked to', () => {
    expect(loadConfig({}).demoSeed).toBe('auto');
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), BASE_URL: 'https://mentors.zhas.kz', DOCUMENT_ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' };
    expect(loadConfig(production).demoSeed).toBe('never');
    expect(loadConfig({ ...production, DEMO_SEED: 'auto' }).demoSeed).toBe('auto');
  });

  it('points links at the port the portal listens on unless BASE_URL says otherwise', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
    expect(loadConfig({}).baseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080', BASE_URL: 'https://mentors.zhas.kz/' }).baseUrl).toBe('https://mentors.zhas.kz');
  });

  it('refuses to start in production without an explicit BASE_URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/BASE_URL: is required in production/);
  });

  it('requires a session secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required in production/);
  });
});

describe('DOCUMENT_STORE', () => {
  it('keeps documents in UPLOAD_DIR by default', () => {
    expect(loadConfig({ UPLOAD_DIR: '/srv/zhas/uploads' }).documentStore).toEqual({ driver: 'disk', uploadDir: '/srv/zhas/uploads' });
  });

  it('refuses s3 without a bucket, in production and elsewhere', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), BASE_URL: 'https://mentors.zhas.kz', DOCUMENT_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(() => loadConfig({ ...production, DOCUMENT_STORE: 's3' })).toThrow(/S3_BUCKET: is required with DOCUMENT_STORE=s3/);
    expect(() => loadConfig({ DOCUMENT_STORE: 's3' })).toThrow(/S3_BUCKET: is required with DOCUMENT_STORE=s3/);
    expect(() => loadConfig({ DOCUMENT_STORE: 'minio' })).toThrow(/DOCUMENT_STORE/);
    expect(() => loadConfig({ DOCUMENT_STORE: 's3', S3_BUCKET: 'Not_A_Bucket' })).toThrow(/S3_BUCKET: must be an S3 bucket name/);
    expect(loadConfig({ ...production, DOCUMENT_STORE: 's3', S3_BUCKET: 'zhas-documents' }).documentStore.driver).toBe('s3');
  });

  it('on AWS: virtual-hosted addresses, the region given, and the SDK finds the credentials itself', () => {
    expect(loadConfig({ DOCUMENT_STORE: 's3', S3_BUCKET: 'zhas-documents', AWS_REGION: 'eu-central-1', UPLOAD_DIR: '/u' }).documentStore).toEqual({
      driver: 's3', uploadDir: '/u', bucket: 'zhas-documents', region: 'eu-central-1', endpoint: undefined, forcePathStyle: false, prefix: '', credentials: undefined,
    });
  });

  it('with S3_ENDPOINT: path-style addresses unless told otherwise, and the keys of the AWS variables', () => {
    const s3 = { DOCUMENT_STORE: 's3', S3_BUCKET: 'zhas-documents', S3_ENDPOINT: 'https://storage.example.kz', S3_PREFIX: 'portal/documents/' };
    expect(loadConfig({ ...s3, AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' }).documentStore).toMatchObject({
      endpoint: 'https://storage.example.kz', region: 'us-east-1', forcePathStyle: true, prefix: 'portal/documents/', credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    expect(loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'false' }).documentStore).toMatchObject({ forcePathStyle: false });
    expect(() => loadConfig({ ...s3, AWS_ACCESS_KEY_ID: 'id' })).toThrow(/AWS_SECRET_ACCESS_KEY: is needed together/);
    expect(() => loadConfig({ ...s3, S3_PREFIX: '../elsewhere' })).toThrow(/S3_PREFIX/);
    expect(() => loadConfig({ ...s3, S3_PREFIX: 'portal/../' })).toThrow(/S3_PREFIX/);
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'ftp://storage.example.kz' })).toThrow(/S3_ENDPOINT/);
  });
});
