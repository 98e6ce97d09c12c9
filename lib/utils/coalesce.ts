import DataLoader from 'dataloader';

/**
 * Group commit for concurrent requests of one process: calls to `load` that arrive while `maxInFlight`
 * groups are already at the database wait and go together in the next group (up to `maxBatch`), one
 * round trip for all of them. With nothing in flight a call goes at once (after the current event-loop
 * turn, so calls of the same turn share it): a quiet door waits for nobody, a busy one pays one round
 * trip per group instead of one per record. `run` answers each input in order; an Error in its place
 * fails that call only, a thrown error fails the whole group.
 *
 * DataLoader does the grouping (no cache: every call is its own item); this only decides when a group
 * may leave.
 */
export function coalescer<In, Out>(run: (items: readonly In[]) => Promise<(Out | Error)[]>, o: { maxBatch: number; maxInFlight: number }) {
  // A slot is held from the moment a group is scheduled until its round trip has ended.
  let slots = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next)
      next(); // the slot passes to the oldest waiting group
    else slots--;
  };
  const loader = new DataLoader<In, Out>(
    async (items) => {
      try {
        return await run(items);
      } finally {
        release();
      }
    },
    {
      cache: false,
      maxBatchSize: o.maxBatch,
      batchScheduleFn: (dispatch) => {
        if (slots < o.maxInFlight) {
          slots++;
          setImmediate(dispatch);
        } else waiting.push(dispatch);
      },
    },
  );
  return (item: In) => loader.load(item);
}
