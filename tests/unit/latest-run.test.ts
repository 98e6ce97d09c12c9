// lib/utils/latest-run: one run at a time, and a call during a run is never lost (one more run after it).
import { describe, expect, it } from 'vitest';
import { latestRun } from '@/lib/utils/latest-run';

/** A task whose runs each wait to be released; `started` counts the runs begun. */
function heldTask() {
  const releases: (() => void)[] = [];
  let started = 0;
  let active = 0;
  let most = 0;
  const task = async () => {
    started += 1;
    active += 1;
    most = Math.max(most, active);
    await new Promise<void>((r) => releases.push(r));
    active -= 1;
  };
  const release = async () => {
    releases.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { task, release, started: () => started, most: () => most };
}

describe('latestRun', () => {
  it('a call during a run is run once more after it, however many calls came; never two at once', async () => {
    const t = heldTask();
    const run = latestRun(t.task);
    const first = run();
    expect(t.started()).toBe(1);
    const during = [run(), run(), run()];
    expect(t.started()).toBe(1);
    await t.release();
    // The run after: it started after the three calls.
    expect(t.started()).toBe(2);
    let settled = false;
    void Promise.all(during).then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await t.release();
    await Promise.all([first, ...during]);
    expect(t.started()).toBe(2);
    expect(t.most()).toBe(1);
  });

  it('calls after the last run has ended each run again', async () => {
    let runs = 0;
    const run = latestRun(async () => {
      runs += 1;
    });
    await run();
    await run();
    expect(runs).toBe(2);
  });

  it('a failed run goes to onError and the run asked for during it still happens', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    let release: () => void = () => {};
    const run = latestRun(
      async () => {
        runs += 1;
        if (runs === 1) {
          await new Promise<void>((r) => (release = r));
          throw new Error('database away');
        }
      },
      (e) => errors.push(e),
    );
    const first = run();
    const during = run();
    release();
    await Promise.all([first, during]);
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
