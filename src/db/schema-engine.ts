/**
 * Prisma's schema engine for the migration commands (migrations.ts), without its native binary:
 * @prisma/schema-engine-wasm loaded by hand in Node 20, opened over PGlite (pglite-prisma-adapter) or
 * PostgreSQL (@prisma/adapter-pg) with a shadow database, and closed again.
 *
 * The adapters need five fixes, marked FIX 1..5 below; docs/migrations.md says why each exists and
 * which tests fail if an upgrade of the adapters breaks them (they lean on adapter internals).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/** A PostgreSQL server database, or an open PGlite instance that stays open (and owned by the caller). */
export type MigrationTarget = { databaseUrl: string } | { pglite: PGlite };

export class MigrationError extends Error {
  /** Prisma error code when the engine reported one (e.g. P3009: a failed migration blocks deploys). */
  readonly code: string | undefined;
  /** The migration that failed to apply, when the engine said which. */
  readonly migrationName: string | undefined;
  constructor(message: string, options: { code?: string; migrationName?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MigrationError';
    this.code = options.code;
    this.migrationName = options.migrationName;
  }
}

// ---------------------------------------------------------------------------------------------------
// Loading the wasm engine in Node 20 (its package entry imports a .wasm module, which Node cannot).
// ---------------------------------------------------------------------------------------------------

type EngineGlue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/**
 * One engine instance per process, kept on globalThis: Node caches the glue module process-wide, and
 * a second wasm instance handed to it (this file evaluated again, e.g. by vitest's global setup of a
 * second project) would leave the glue reading stale memory views → garbage strings, engine panics.
 */
interface EngineState {
  glue?: Promise<EngineGlue>;
  lastPanicMessage?: string;
}
const engineState: EngineState = ((globalThis as Record<symbol, EngineState | undefined>)[
  Symbol.for('zhas.prisma-schema-engine-wasm')
] ??= {});

function loadEngineGlue(): Promise<EngineGlue> {
  engineState.glue ??= (async () => {
    // The glue reports a Rust panic's message here before the call fails.
    const registry = { set_message: (message: string) => void (engineState.lastPanicMessage = message) };
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = registry;
    const glue: EngineGlue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await fs.readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
    // FIX 5 (part): the engine schedules a ~10 s timer (setTimeout, never cleared) that keeps a CLI
    // process alive after its work is done. Its timers are unref'd: they still fire in a long-running
    // process but do not keep one alive.
    const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (callback: () => void, milliseconds: number) => {
        const timer = setTimeout(callback, milliseconds >>> 0);
        timer.unref();
        return timer;
      };
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { './schema_engine_bg.js': imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  engineState.glue.catch(() => (engineState.glue = undefined));
  return engineState.glue;
}

// ---------------------------------------------------------------------------------------------------
// Driver adapters with the fixes
// ---------------------------------------------------------------------------------------------------

/** The adapter internals the fixes rely on (not part of the adapters' public types). */
interface AdapterInternals {
  client: unknown;
  performIO(query: unknown): Promise<unknown>;
  onError(error: unknown): never;
  executeScript(script: string): Promise<void>;
  startTransaction(isolationLevel?: string): Promise<AdapterInternals>;
}

function internalsOf(adapter: SqlDriverAdapter, adapterName: string): AdapterInternals {
  const candidate = adapter as unknown as Partial<AdapterInternals>;
  for (const member of ['performIO', 'onError', 'executeScript', 'startTransaction'] as const) {
    if (typeof candidate[member] !== 'function') {
      throw new MigrationError(
        `${adapterName}: internal method "${member}" not found; the migration fixes in src/db/schema-engine.ts need revisiting after an upgrade`,
      );
    }
  }
  if (!candidate.client) {
    throw new MigrationError(`${adapterName}: internal "client" not found; revisit src/db/schema-engine.ts after an upgrade`);
  }
  return candidate as AdapterInternals;
}

const PG_CHAR_OID = 18; // PostgreSQL's internal one-byte "char" type
const PG_TEXT_OID = 25;

/** FIX 1: adapter-pg cannot deserialize the internal "char" type the engine's schema reader selects. */
function relabelCharColumns(queryable: AdapterInternals): void {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = (await performIO(query)) as { fields?: { dataTypeID: number }[] } | undefined;
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
}

function patchPgAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = internalsOf(adapter, '@prisma/adapter-pg');
  relabelCharColumns(internals);
  const startTransaction = internals.startTransaction.bind(internals);
  internals.startTransaction = async (isolationLevel) => {
    const transaction = await startTransaction(isolationLevel);
    relabelCharColumns(transaction);
    return transaction;
  };
  // FIX 2: adapter-pg splits scripts on ";" (breaks string literals, applies half a migration). One
  // simple-protocol query runs the whole script as one implicit transaction: all or nothing.
  const client = internals.client as pg.Pool;
  internals.executeScript = async (script) => {
    try {
      await client.query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

function patchPgliteAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = internalsOf(adapter, 'pglite-prisma-adapter');
  // FIX 4: pglite-prisma-adapter does not await exec(), so a failing migration is recorded as applied.
  const client = internals.client as PGlite;
  internals.executeScript = async (script) => {
    try {
      await client.exec(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

/** Makes dispose() idempotent and remembers the adapter so it is disposed even if the engine does not. */
function tracked(adapter: SqlDriverAdapter, onDispose: () => Promise<void>, registry: Set<() => Promise<void>>): SqlDriverAdapter {
  let disposal: Promise<void> | undefined;
  const dispose = () => (disposal ??= onDispose());
  registry.add(dispose);
  adapter.dispose = dispose;
  return adapter;
}

interface EngineHandle {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll(): Promise<void>;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function postgresFactory(databaseUrl: string): EngineHandle {
  const disposers = new Set<() => Promise<void>>();
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      const adapter = patchPgAdapter(await new PrismaPg({ connectionString: databaseUrl }).connect());
      const release = adapter.dispose.bind(adapter);
      return tracked(adapter, release, disposers);
    },
    // FIX 3: PrismaPg.connectToShadowDb() built from a connection string points at the main database.
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      try {
        await adminQuery(databaseUrl, `CREATE DATABASE ${quoteIdentifier(name)}`);
      } catch (error) {
        throw new MigrationError(
          `Could not create the temporary shadow database ${name} (the database role needs CREATEDB): ${(error as Error).message}`,
          { cause: error },
        );
      }
      try {
        const adapter = patchPgAdapter(await new PrismaPg({ connectionString: withDatabase(databaseUrl, name) }).connect());
        const release = adapter.dispose.bind(adapter);
        return tracked(
          adapter,
          async () => {
            await release();
            await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
          },
          disposers,
        );
      } catch (error) {
        await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`).catch(() => {});
        throw error;
      }
    },
  };
  return { factory, disposeAll: () => disposeEach(disposers) };
}

function pgliteFactory(pglite: PGlite): EngineHandle {
  const disposers = new Set<() => Promise<void>>();
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter',
    async connect() {
      // The caller's PGlite stays open: disposing this adapter does not close it.
      const adapter = patchPgliteAdapter(await new PrismaPGlite(pglite).connect());
      return tracked(adapter, async () => {}, disposers);
    },
    async connectToShadowDb() {
      const shadow = await createEmptyPglite();
      const close = () => (shadow.closed ? Promise.resolve() : shadow.close());
      try {
        const adapter = patchPgliteAdapter(await new PrismaPGlite(shadow).connect());
        return tracked(adapter, close, disposers);
      } catch (error) {
        await close();
        throw error;
      }
    },
  };
  return { factory, disposeAll: () => disposeEach(disposers) };
}

async function disposeEach(disposers: Set<() => Promise<void>>): Promise<void> {
  const results = await Promise.allSettled([...disposers].map((dispose) => dispose()));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/**
 * An empty in-memory PGlite (the shadow database on PGlite). A fresh one takes seconds to initialise;
 * the first of a process is dumped and later ones start from that dump (~0.7 s).
 */
let emptyPgliteDump: Promise<Blob> | undefined;
export async function createEmptyPglite(): Promise<PGlite> {
  if (!emptyPgliteDump) {
    const fresh = await PGlite.create();
    emptyPgliteDump = fresh.dumpDataDir('none');
    emptyPgliteDump.catch(() => (emptyPgliteDump = undefined));
    await emptyPgliteDump.catch(() => {});
    return fresh;
  }
  return PGlite.create({ loadDataDir: await emptyPgliteDump });
}

// ---------------------------------------------------------------------------------------------------
// Opening and closing the engine
// ---------------------------------------------------------------------------------------------------

export interface SchemaEngineOptions {
  schemaPath: string;
  schemaText: string;
  /** Receives the engine's log lines (JSON). */
  log: (line: string) => void;
}

function describeEngineError(error: unknown, errorRegistry?: ErrorRegistry): MigrationError {
  if (error instanceof MigrationError) return error;
  const panic = engineState.lastPanicMessage;
  engineState.lastPanicMessage = undefined;
  const raw = error as { message?: unknown; code?: unknown } | undefined;
  const full = typeof raw?.message === 'string' ? raw.message : String(error);
  // Engine messages end with a Rust span trace ("   0: sql_schema_connector::…"), which names the
  // migration being applied; keep the human part and that name.
  const migrationName = /migration_name="([^"]+)"/.exec(full)?.[1];
  let message = full.replace(/\n\s*0: [a-z_]+::[\s\S]*$/, '').replace(/^external connector error\n/, '').trim();
  if (migrationName && !message.includes(migrationName)) message = `Migration ${migrationName} failed: ${message}`;
  // An error thrown by our adapter code reaches the engine as "External error id#N"; the original
  // (e.g. no CREATEDB for the shadow database) waits in the bound factory's registry.
  const externalId = /External error id#(\d+)/.exec(full)?.[1];
  const external = externalId !== undefined ? errorRegistry?.consumeError(Number(externalId))?.error : undefined;
  if (external) message += `: ${external instanceof Error ? external.message : String(external)}`;
  if (panic) message += `\nEngine panic: ${panic}`;
  const code = typeof raw?.code === 'string' ? raw.code : /\b(P\d{4})\b/.exec(full)?.[1];
  return new MigrationError(message, { code, migrationName, cause: error });
}

/**
 * Opens the engine on `target` for `schemaPath`, runs `use` with it, then frees the engine and every
 * adapter it got. A failure of the engine or of `use` comes back as a MigrationError.
 */
export async function withSchemaEngine<T>(
  target: MigrationTarget,
  options: SchemaEngineOptions,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadEngineGlue();
  const handle = 'databaseUrl' in target ? postgresFactory(target.databaseUrl) : pgliteFactory(target.pglite);
  const boundFactory = bindMigrationAwareSqlAdapterFactory(handle.factory);
  let engine: SchemaEngine | undefined;
  let result: T;
  try {
    engine = await glue.SchemaEngine.new({ datamodels: [[options.schemaPath, options.schemaText]] }, (line: string) => options.log(line), boundFactory);
    result = await use(engine);
  } catch (error) {
    await release(engine, handle).catch(() => {}); // the original failure matters more
    throw describeEngineError(error, boundFactory.errorRegistry);
  }
  await release(engine, handle);
  return result;
}

/** FIX 5: free the engine and dispose every adapter it got (pools, shadow databases, PGlite shadows). */
async function release(engine: SchemaEngine | undefined, handle: EngineHandle): Promise<void> {
  try {
    engine?.free();
  } finally {
    await handle.disposeAll();
  }
}
