import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and applied by `npm run migrate` as the owner role (db/migrate.ts), or by the
// app when it opens the embedded PGlite database (db/index.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
