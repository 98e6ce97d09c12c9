import { Home, IdCard, ScanLine, Store } from 'lucide-react';

/** The three entries residents and venue staff know, plus home. Labels are message keys under "nav". */
export const NAV_ITEMS = [
  { href: '/', key: 'home', icon: Home },
  { href: '/me', key: 'me', icon: IdCard },
  { href: '/venue', key: 'venue', icon: Store },
  { href: '/checker', key: 'checker', icon: ScanLine },
] as const;
