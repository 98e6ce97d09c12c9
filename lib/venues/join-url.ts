import 'server-only';
import { publicOrigin } from '@/lib/auth/public-origin';

/** What the invite QR encodes: the join page at the public origin, so any camera app opens it. */
export const joinUrl = async (inviteCode: string) => `${await publicOrigin()}/join/${encodeURIComponent(inviteCode)}`;
