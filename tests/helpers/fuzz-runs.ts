// How many cases a fuzz property gets (issue #15, tiered fuzzing).
// - Pure validators (no database, microseconds a case): always 10,000 (or FUZZ_RUNS when larger).
// - Database-backed properties (a route handler and its queries each case): a few hundred per run, which
//   still reaches every stage of validation; FUZZ_RUNS=10000 for a full run (see the README).
const asked = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : null;
export const PURE_RUNS = Math.max(10_000, asked ?? 0);
export const DB_RUNS = asked ?? 300;
