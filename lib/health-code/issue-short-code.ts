import 'server-only';
import type { DbOrTx } from '@/db';
import { shortCodeTaken } from '@/db/queries/persons';
import { generateShortCode } from './short-code';

/**
 * A short code nobody holds now or ever held (an ended code still names its person and generation at the
 * door: lib/health-code/resolve-code.ts). 32^9 bodies make a second try all but unheard of; the unique
 * indexes of persons and person_code_history stay the last word under a concurrent issue.
 */
export async function issueShortCode(db: DbOrTx): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = generateShortCode();
    if (!(await shortCodeTaken(db, code))) return code;
  }
  throw new Error('issueShortCode: no free short code after 5 tries');
}
