import { defineConfig } from 'prisma/config';

// The native schema engine cannot be downloaded here; `prisma generate` only checks that the
// file exists, and migrations run through our own wasm-engine module (src/db/migrations.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
});
