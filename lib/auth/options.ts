import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getDb } from '@/db';
import { env, usesHttps } from '@/lib/env';
import { safeRedirectPath } from './callback-url';
import { SESSION_MAX_AGE_SECONDS, signInConfigFromEnv, signOutSession, verifySignInCode } from './sign-in';

declare module 'next-auth' {
  interface User {
    sid?: string;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string;
  }
}

/** Built per call so that configuration is read at request time, not at import (the build imports this). */
export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: usesHttps(),
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      CredentialsProvider({
        id: 'phone-code',
        name: 'phone-code',
        credentials: { phone: { type: 'tel' }, code: { type: 'text' } },
        async authorize(credentials, req) {
          const result = await verifySignInCode(await getDb(), signInConfigFromEnv(), {
            phone: credentials?.phone ?? '',
            code: credentials?.code ?? '',
            userAgent: (req?.headers?.['user-agent'] as string | undefined) ?? null,
          });
          // The reason travels to the client as the error string; the form turns it into words.
          if (!result.ok) throw new Error(result.reason === 'wrong_code' ? `wrong_code:${result.attemptsLeft}` : result.reason);
          return { id: result.accountId, sid: result.sessionId };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user?.sid) token.sid = user.sid;
        return token;
      },
      session({ session, token }) {
        // What /api/auth/session hands page scripts: the account id and expiry. Not the phone, and not the
        // session id (the server reads that from the encrypted cookie, lib/auth/require-user.ts).
        return { expires: session.expires, user: { id: token.sub } as never };
      },
      // Sign-in and sign-out callbacks: the same safe-redirect rule as everywhere else.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeRedirectPath(url, baseUrl)}`;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await signOutSession(await getDb(), token.sid);
      },
    },
  };
}
