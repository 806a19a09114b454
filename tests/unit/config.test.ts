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
