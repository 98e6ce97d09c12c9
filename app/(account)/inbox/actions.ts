'use server';

import { z } from 'zod';
import { action } from '@/lib/server/action';
import { readAllNotices, readNotice } from '@/lib/notices/inbox';

/** Opening a notice marks it read; one the account may not see is `not_found` (lib/notices/inbox.ts). */
export const readNoticeAction = action({ auth: 'user', input: z.tuple([z.uuid()]) }, (tx, user, [noticeId], now) =>
  readNotice(tx, user, { noticeId }, now),
);

/** 全部标为已读: every notice the account may see now. */
export const readAllNoticesAction = action({ auth: 'user', input: z.tuple([]) }, (tx, user, input, now) =>
  readAllNotices(tx, user, input, now),
);
