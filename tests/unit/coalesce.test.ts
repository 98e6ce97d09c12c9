// The group commit of concurrent requests (lib/utils/coalesce): who goes together, who waits, who fails.
import { describe, expect, it } from 'vitest';
import { coalescer } from '@/lib/utils/coalesce';

/** A run that records its groups and answers when released (or at once). */
function recorder<T>(answer: (x: T) => unknown = (x) => x) {
  const groups: T[][] = [];
  const pending: (() => void)[] = [];
  let hold = false;
  const run = async (items: readonly T[]) => {
    groups.push([...items]);
    if (hold) await new Promise<void>((r) => pending.push(r));
    return items.map((x) => answer(x) as never);
  };
  return { groups, run, hold: (v: boolean) => (hold = v), release: () => pending.splice(0).forEach((r) => r()) };
}

/** Lets the coalescer's dispatch turns (setImmediate) run: what would go has gone, without a timed wait. */
async function turns(n = 3) {
  for (let i = 0; i < n; i++) await new Promise((res) => setImmediate(res));
}

describe('coalescer', () => {
  it('sends calls of the same turn as one group, each answered in its place', async () => {
    const r = recorder<number>((x) => x * 10);
    const load = coalescer(r.run, { maxBatch: 100, maxInFlight: 2 });
    expect(await Promise.all([1, 2, 3].map(load))).toEqual([10, 20, 30]);
    expect(r.groups).toEqual([[1, 2, 3]]);
  });

  it('a lone call goes at once; calls arriving while the slots are busy wait and go together', async () => {
    const r = recorder<number>();
    const load = coalescer(r.run, { maxBatch: 100, maxInFlight: 1 });
    r.hold(true);
    const first = load(1);
    await new Promise((res) => setImmediate(res));
    expect(r.groups).toEqual([[1]]); // went without waiting for company
    const later = [load(2), load(3)];
    await turns();
    const more = load(4);
    await turns();
    expect(r.groups).toEqual([[1]]); // the one slot is taken: 2, 3 and 4 wait
    r.hold(false);
    r.release();
    expect(await Promise.all([first, ...later, more])).toEqual([1, 2, 3, 4]);
    expect(r.groups).toEqual([[1], [2, 3, 4]]);
  });

  it('splits at maxBatch and runs up to maxInFlight groups at once', async () => {
    const r = recorder<number>();
    const load = coalescer(r.run, { maxBatch: 2, maxInFlight: 2 });
    r.hold(true);
    const all = [1, 2, 3, 4, 5, 6].map(load);
    await turns();
    expect(r.groups).toEqual([
      [1, 2],
      [3, 4],
    ]);
    r.hold(false);
    r.release();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.groups).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('an Error in one place fails that call only; a thrown error fails its group, not the next', async () => {
    let fail = true;
    const load = coalescer(
      async (items: readonly number[]) => {
        if (items.includes(99) && fail) throw new Error('connection lost');
        return items.map((x) => (x < 0 ? new Error(`refused ${x}`) : x));
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const [a, b] = await Promise.allSettled([load(1), load(-1)]);
    expect(a).toEqual({ status: 'fulfilled', value: 1 });
    expect(b.status === 'rejected' && String(b.reason)).toContain('refused -1');
    const group = await Promise.allSettled([load(2), load(99)]);
    expect(group.map((g) => g.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await load(3)).toBe(3); // the slot was given back
  });
});
