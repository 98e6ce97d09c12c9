// A task that must reflect the latest state, run one at a time: a live stream's recount after an event
// (lib/live/topics.ts). A call while it runs asks for one more run after it, however many calls came, so
// the last run always starts after the last call: it reads everything committed before that call. A
// dropped call would leave the screen one event behind until the next one.

/**
 * Wraps `task`: each call runs it now, or once more after the run under way. The promise a call returns
 * resolves when a run that started after that call has finished. A failed run goes to `onError` and does
 * not stop the next.
 */
export function latestRun(task: () => Promise<void>, onError: (error: unknown) => void = () => {}): () => Promise<void> {
  let loop: Promise<void> | null = null;
  let again = false;
  return () => {
    if (loop) {
      again = true;
      return loop;
    }
    loop = (async () => {
      do {
        again = false;
        try {
          await task();
        } catch (error) {
          onError(error);
        }
      } while (again);
      loop = null;
    })();
    return loop;
  };
}
