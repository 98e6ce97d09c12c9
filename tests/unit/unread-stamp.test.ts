// The bell's count (components/shell/inbox-bell.tsx): a server render and the live stream both bring one;
// the later database count wins, whichever arrives last, and a malformed live event changes nothing.
import { describe, expect, it } from 'vitest';
import { heardUnread, newerUnread } from '@/lib/notices/unread-stamp';

const rendered = { unread: 2, asOf: 1_000 };

describe('newerUnread', () => {
  it('keeps the count the database took later, whichever arrives last', () => {
    const live = { unread: 3, asOf: 1_500 };
    expect(newerUnread(rendered, live)).toBe(live);
    // A refresh that counted before the notice, arriving after the stream told of it.
    expect(newerUnread(live, rendered)).toBe(live);
    // A render after the notices were read elsewhere: later, so it takes the bell down.
    expect(newerUnread(live, { unread: 0, asOf: 2_000 })).toEqual({ unread: 0, asOf: 2_000 });
  });

  it('the scanner’s bell (nothing rendered: asOf 0) takes the stream’s first count', () => {
    expect(newerUnread({ unread: 0, asOf: 0 }, { unread: 1, asOf: 5 })).toEqual({ unread: 1, asOf: 5 });
  });
});

describe('heardUnread', () => {
  it('takes a later live count and ignores an earlier one', () => {
    expect(heardUnread(rendered, { unread: 3, asOf: 1_001 })).toEqual({ unread: 3, asOf: 1_001 });
    expect(heardUnread(rendered, { unread: 1, asOf: 999 })).toBe(rendered);
  });

  it('an event of a server without asOf (during an upgrade) is taken as new', () => {
    expect(heardUnread(rendered, { unread: 5 })).toEqual({ unread: 5, asOf: 1_000 });
  });

  it('a malformed event changes nothing', () => {
    for (const data of [null, 'x', 3, {}, { unread: '3' }, { unread: -1 }, { unread: 1.5 }, { unread: Number.NaN }]) {
      expect(heardUnread(rendered, data)).toBe(rendered);
    }
  });
});
