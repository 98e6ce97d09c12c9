import 'server-only';
import { env } from '@/lib/env';

/** What the invite QR encodes: the join page on this deployment, so any camera app opens it. */
export const joinUrl = (inviteCode: string) => `${env().NEXTAUTH_URL.replace(/\/$/, '')}/join/${inviteCode}`;
