import type { getFormatter, getTranslations } from 'next-intl/server';
import type { InboxNotice } from '@/db/queries/notices';
import { chinaDateOf } from '@/lib/time';

type T = Awaited<ReturnType<typeof getTranslations<'inbox'>>>;
type TCases = Awaited<ReturnType<typeof getTranslations<'cases'>>>;
type Format = Awaited<ReturnType<typeof getFormatter>>;

export type NoticeView = {
  /** The heading: 发热提醒, 红码提醒 … */
  label: string;
  text: string;
  /** An invitation's or a link request's state now (待接受 / 已同意 …), else null. */
  state: string | null;
  href: string;
  action: string;
  tone: 'danger' | 'warn' | 'info';
  /** Name the venue under the sentence (a door's notice; the others name it in the sentence). */
  venueLine: boolean;
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** When, as the reader in China reads it: 10:32 today, 11月28日 10:32 before. */
export function noticeTime(format: Format, at: Date, now: Date) {
  const sameDay = chinaDateOf(at) === chinaDateOf(now);
  return format.dateTime(
    at,
    sameDay
      ? { hour: '2-digit', minute: '2-digit', hour12: false }
      : { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
  );
}

/** A notice as one short sentence in the reader's language, with where to act on it. Params are masked already. */
export function viewNotice(t: T, format: Format, n: InboxNotice, now: Date, tc?: TCases): NoticeView {
  const p = n.params;
  const venue = n.venueName ?? str(p.venueName);
  const time = noticeTime(format, n.happenedAt, now);
  const checker = str(p.checker) || t('text.unknownChecker');
  switch (n.kind) {
    case 'fever':
      return {
        label: t('kind.fever'),
        text: t('text.fever', { name: str(p.name), temp: str(p.temp), checker, time }),
        state: null,
        href: '/venue/stats#fevers',
        action: t('action.fever'),
        tone: 'danger',
        venueLine: true,
      };
    case 'red_code':
      return {
        label: t('kind.red_code'),
        text: p.temp
          ? t('text.redCodeTemp', { name: str(p.name), temp: str(p.temp), checker, time })
          : t('text.redCode', { name: str(p.name), checker, time }),
        state: null,
        href: '/venue/stats#fevers',
        action: t('action.red_code'),
        tone: 'danger',
        venueLine: true,
      };
    case 'checker_pending':
      return {
        label: t('kind.checker_pending'),
        text: t('text.checkerPending', { checker, venue }),
        state: null,
        href: '/venue/members',
        action: t('action.checker_pending'),
        tone: 'warn',
        venueLine: false,
      };
    case 'admin_invitation': {
      const state = n.invitationState ?? 'cancelled';
      const expires = new Date(str(p.expiresAt) || n.createdAt);
      return {
        label: t('kind.admin_invitation'),
        text: t('text.adminInvitation', { venue }),
        state: state === 'pending' ? t('invitation.pending', { time: noticeTime(format, expires, now) }) : t(`invitation.${state}`),
        // Invitations are accepted on 我的场所 (app/(venue)/venue/_components/admin-invitations.tsx).
        href: '/venue',
        action: state === 'pending' ? t('action.admin_invitation') : t('action.admin_invitation_done'),
        tone: 'info',
        venueLine: false,
      };
    }
    case 'binding_approved':
      return {
        label: t('kind.binding_approved'),
        text: t('text.bindingApproved', { venue }),
        state: null,
        href: '/checker',
        action: t('action.binding_approved'),
        tone: 'info',
        venueLine: false,
      };
    case 'binding_removed': {
      const rejected = p.outcome === 'rejected';
      return {
        label: rejected ? t('kind.binding_rejected') : t('kind.binding_removed'),
        text: rejected ? t('text.bindingRejected', { venue }) : t('text.bindingRemoved', { venue }),
        state: null,
        href: '/checker',
        action: t('action.binding_removed'),
        tone: 'warn',
        venueLine: false,
      };
    }
    case 'venue_closed':
      // SPEC L3: to each checker bound at the closure.
      return {
        label: t('kind.venue_closed'),
        text: t('text.venueClosed', { venue }),
        state: null,
        href: '/venue',
        action: t('action.venue_closed'),
        tone: 'warn',
        venueLine: false,
      };
    case 'link_request': {
      const state = n.linkState ?? 'cancelled';
      return {
        label: t('kind.link_request'),
        text:
          p.relation === 'self'
            ? t('text.linkRequestSelf', { who: str(p.who), person: str(p.person) })
            : t('text.linkRequestFamily', { who: str(p.who), person: str(p.person) }),
        state: t(`linkState.${state}`),
        href: '/me/requests',
        action: state === 'pending' ? t('action.link_request') : t('action.link_request_done'),
        tone: state === 'pending' ? 'warn' : 'info',
        venueLine: false,
      };
    }
    case 'link_result': {
      const accepted = p.outcome === 'accepted';
      const self = p.relation === 'self';
      const args = { person: str(p.person) };
      return {
        label: t('kind.link_result'),
        text: accepted
          ? t(self ? 'text.linkAcceptedSelf' : 'text.linkAcceptedFamily', args)
          : t(self ? 'text.linkRefusedSelf' : 'text.linkRefusedFamily', args),
        state: null,
        href: accepted ? (self ? '/me' : '/me/family') : '/me/requests',
        action: t('action.link_result'),
        tone: accepted ? 'info' : 'warn',
        venueLine: false,
      };
    }
    case 'guardian_added':
      return {
        label: t('kind.guardian_added'),
        text: t(p.relation === 'self' ? 'text.guardianAddedSelf' : 'text.guardianAddedFamily', { who: str(p.who), person: str(p.person) }),
        state: null,
        href: p.mine ? '/me/guardians' : '/me/family',
        action: t('action.guardian_added'),
        tone: 'warn',
        venueLine: false,
      };
    case 'guardian_removed': {
      const args = { who: str(p.who), person: str(p.person) };
      const left = p.how === 'left';
      return {
        label: t('kind.guardian_removed'),
        text: p.you
          ? t(left ? 'text.guardianLeftYou' : 'text.guardianRemovedYou', args)
          : t(left ? 'text.guardianLeft' : 'text.guardianRemoved', args),
        state: null,
        href: p.mine ? '/me/guardians' : '/me/family',
        action: t('action.guardian_removed'),
        tone: 'info',
        venueLine: false,
      };
    }
    case 'code_reissued':
      return {
        label: t('kind.code_reissued'),
        text: t('text.codeReissued', { who: str(p.who), person: str(p.person) }),
        state: null,
        href: `/me?p=${str(p.personId)}`,
        action: t('action.code_reissued'),
        tone: 'warn',
        venueLine: false,
      };
    case 'phone_change': {
      // A recovery (找回账号) of the reader's account (role self, to its old number) or of a person they guard.
      const until = noticeTime(format, new Date(str(p.until) || n.createdAt), now);
      return {
        label: t('kind.phone_change'),
        text:
          p.role === 'guardian'
            ? t('text.phoneChangeGuardian', { person: str(p.person), phone: str(p.newPhone), time: until })
            : t('text.phoneChangeSelf', { phone: str(p.newPhone), time: until }),
        state: null,
        href: `/account-recovery/${encodeURIComponent(str(p.changeId))}`,
        action: t('action.phone_change'),
        tone: 'danger',
        venueLine: false,
      };
    }
    case 'account_deletion':
      return {
        label: t('kind.account_deletion'),
        text: t('text.accountDeletion', { time: noticeTime(format, new Date(str(p.until) || n.createdAt), now) }),
        state: null,
        href: '/settings/delete',
        action: t('action.account_deletion'),
        tone: 'warn',
        venueLine: false,
      };
    case 'close_contact':
    case 'close_contact_cleared':
    case 'case_handoff':
      if (tc) return viewCaseNotice(tc, n);
    // falls through: a caller without the cases catalogue shows a plain notice
    default:
      // Kinds of consent and lifecycle (#19) not yet given their own sentence: a plain notice to the inbox.
      return {
        label: t('kind.other'),
        text: t('text.other'),
        state: null,
        href: '/inbox',
        action: t('action.other'),
        tone: 'info',
        venueLine: false,
      };
  }
}

/** #20 流调: a close-contact mark or its clearing (to the person and their guardians), a hand-off (to officials). */
function viewCaseNotice(tc: TCases, n: InboxNotice): NoticeView {
  const p = n.params;
  const name = str(p.name);
  const code = p.personId ? `/me?p=${encodeURIComponent(str(p.personId))}` : '/me';
  if (n.kind === 'close_contact')
    return {
      label: tc('notice.kind_close_contact'),
      text: p.self ? tc('notice.closeContactSelf') : tc('notice.closeContactFamily', { name }),
      state: null,
      // The code page shows the close-contact guidance (healthCode.guidance.close_contact).
      href: code,
      action: tc('notice.actionGuidance'),
      tone: 'danger',
      venueLine: false,
    };
  if (n.kind === 'close_contact_cleared')
    return {
      label: tc('notice.kind_close_contact_cleared'),
      text: p.self ? tc('notice.clearedSelf') : tc('notice.clearedFamily', { name }),
      state: null,
      href: code,
      action: tc('notice.actionCode'),
      tone: 'info',
      venueLine: false,
    };
  return {
    label: tc('notice.kind_case_handoff'),
    text: tc('notice.handoff', { from: str(p.from), venue: str(p.venueName), region: str(p.regionName) }),
    state: null,
    href: `/ops/cases/${encodeURIComponent(str(p.caseId))}`,
    action: tc('notice.actionCase'),
    tone: 'warn',
    venueLine: false,
  };
}
