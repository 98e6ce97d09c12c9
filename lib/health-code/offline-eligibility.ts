import { ageOn, todayInChina } from '@/lib/identity/id-documents';

/** H2: offline physical codes are for minors and people aged 60 or over. */
export function canHaveOfflineCode(birthDate: string, now = new Date()): boolean {
  const age = ageOn(birthDate, todayInChina(now));
  return age < 18 || age >= 60;
}
