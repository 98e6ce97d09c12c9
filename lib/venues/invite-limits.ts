import 'server-only';
import { env } from '@/lib/env';
import type { InviteLimits } from './checkers';

export function inviteLimitsFromEnv(): InviteLimits {
  const e = env();
  return {
    perAccountPerHour: e.INVITE_LOOKUPS_PER_ACCOUNT_HOURLY,
    perIpPerHour: e.INVITE_LOOKUPS_PER_IP_HOURLY,
    secret: e.NEXTAUTH_SECRET,
  };
}
