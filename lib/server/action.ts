import 'server-only';
import { z } from 'zod';
import { getDb, type Db } from '@/db';
import { isUniqueViolation } from '@/db/errors';
import { getCurrentUser, type CurrentUser } from '@/lib/auth/require-user';
import type { CommonReason } from './reasons';

/**
 * The one shape of every server action (app/**\/actions.ts), so a missing check stands out:
 * the session first (or `auth: 'public'`, said out loud), then the input through zod, then the service
 * as `(tx, actor, input, now)` inside one transaction (its audit row with it). Every refusal the wrapper
 * gives is one of lib/server/reasons.ts; the service adds its own domain reasons.
 * (saas-starter's validatedActionWithUser, dub's authActionClient, openstatus' services.)
 */

export type Refusal = { ok: false; reason: CommonReason; fieldErrors?: Record<string, string> };

type Auth = 'user' | 'public';
/** A public action gets no actor: it must not depend on who asks. */
type ActorOf<A extends Auth> = A extends 'user' ? CurrentUser : null;
export type Service<A extends Auth, I, R> = (tx: Db, actor: ActorOf<A>, input: I, now: Date) => Promise<R>;

type Options<A extends Auth, S extends z.ZodType> = {
  auth: A;
  input: S;
  /**
   * `false` where the service owns its transactions and must not sit inside one (say why at the call):
   * the door's coalesced write path, or a message sent only after the code is committed.
   */
  transaction?: boolean;
};

/** A zod error as the forms show it: the first problem of each field, as a message code. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.code === 'too_big' ? 'too_long' : issue.code === 'too_small' ? 'required' : 'format';
  }
  return out;
}

async function perform<A extends Auth, S extends z.ZodType, R>(
  opts: Options<A, S>,
  raw: unknown,
  service: Service<A, z.output<S>, R>,
): Promise<R | Refusal> {
  let actor: CurrentUser | null = null;
  if (opts.auth === 'user') {
    actor = await getCurrentUser();
    if (!actor) return { ok: false, reason: 'unauthenticated' };
  }
  const parsed = opts.input.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid', fieldErrors: fieldErrorsOf(parsed.error) };
  const db = await getDb();
  const now = new Date();
  const who = actor as ActorOf<A>;
  try {
    if (opts.transaction === false) return await service(db, who, parsed.data, now);
    return await db.transaction((tx) => service(tx as unknown as Db, who, parsed.data, now));
  } catch (error) {
    // A rule the database enforces (unique, exclusion) held against a concurrent request.
    if (isUniqueViolation(error)) return { ok: false, reason: 'conflict' };
    throw error;
  }
}

/** An action called with arguments (buttons, pickers): the arguments are parsed as one zod tuple. */
export function action<A extends Auth, S extends z.ZodTuple, R>(opts: Options<A, S>, service: Service<A, z.output<S>, R>) {
  return async (...args: z.input<S>): Promise<R | Refusal> => perform(opts, args, service);
}

/** FormData as one plain object: a field sent once is a string, sent several times an array; files dropped. */
export function formObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).filter((v): v is string => typeof v === 'string');
    if (all.length > 0) out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

/**
 * A form field as text, cut to `max` UTF-16 units as before (the service's own validator then judges it);
 * never inside a surrogate pair, or an over-long text of emoji or rare Han would be refused as holding a
 * control character (a lone surrogate) instead of as too long.
 */
export const formText = (max: number) => z.preprocess((v) => (typeof v === 'string' ? cutText(v, max) : ''), z.string());
function cutText(v: string, max: number): string {
  if (v.length <= max) return v;
  const last = v.charCodeAt(max - 1);
  const next = v.charCodeAt(max);
  const halves = last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return v.slice(0, halves ? max - 1 : max);
}
/** A field that may be sent several times (checkboxes), at most `max` values. */
export const formList = (max: number) =>
  z.preprocess((v) => (v === undefined ? [] : [v].flat().map(String).slice(0, max)), z.array(z.string()));

type Answer<S extends z.ZodType, R, State> = (result: R | Refusal, submitted: z.output<S> | null) => State | Promise<State>;

async function performForm<A extends Auth, S extends z.ZodType, R, State>(
  opts: Options<A, S>,
  service: Service<A, z.output<S>, R>,
  answer: Answer<S, R, State>,
  raw: Record<string, unknown>,
): Promise<State> {
  const parsed = opts.input.safeParse(raw);
  return answer(await perform(opts, raw, service), parsed.success ? parsed.data : null);
}

/**
 * A form action for useActionState. `answer` turns the service's result (or the wrapper's refusal) into
 * the form's next state, echoing what was submitted; it runs after the commit, so it may redirect.
 */
export function formAction<A extends Auth, S extends z.ZodType, R, State>(
  opts: Options<A, S>,
  service: Service<A, z.output<S>, R>,
  answer: Answer<S, R, State>,
) {
  return async (_prev: State, form: FormData): Promise<State> => performForm(opts, service, answer, formObject(form));
}

/**
 * formAction with one value bound on the page (`action.bind(null, ticket)`): parsed with the form under
 * `key` (a bound argument comes from the browser too, so it is checked like any field).
 */
export function boundFormAction<K extends string, A extends Auth, S extends z.ZodType, R, State>(
  key: K,
  opts: Options<A, S>,
  service: Service<A, z.output<S>, R>,
  answer: Answer<S, R, State>,
) {
  return async (value: unknown, _prev: State, form: FormData): Promise<State> =>
    performForm(opts, service, answer, { ...formObject(form), [key]: value });
}
