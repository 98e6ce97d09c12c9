import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runDir } from './config';

// Shared accounts, signed in once per run by tests/e2e/shared.setup.ts (the `setup` project) and reused
// through their saved storage state. Only for tests that read or act without ending a session: a test
// that signs out or revokes sessions signs its own account in (signIn in ./auth).
export type SharedRole = 'user' | 'resident' | 'admin' | 'checker' | 'official';

/** What the shared accounts own: the resident's two people, the admin's venue (the checker is active there). */
export type SharedFacts = {
  selfId: string;
  selfShortCode: string;
  childId: string;
  residentNames: string[];
  inviteCode: string;
  venueId: string;
  venueName: string;
  checkerName: string;
};

const dir = () => path.join(runDir, 'state');
export const statePath = (role: SharedRole) => path.join(dir(), `${role}.json`);

export function saveSharedFacts(facts: SharedFacts) {
  mkdirSync(dir(), { recursive: true });
  writeFileSync(path.join(dir(), 'facts.json'), JSON.stringify(facts));
}

export function sharedFacts(): SharedFacts {
  return JSON.parse(readFileSync(path.join(dir(), 'facts.json'), 'utf8')) as SharedFacts;
}
