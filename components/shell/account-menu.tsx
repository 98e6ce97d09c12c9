'use client';

import { CircleUserRound, LogOut, Settings, ShieldPlus } from 'lucide-react';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { useGuardedSignOut } from './sign-out-guard';

export function AccountMenu({ maskedPhone, isOfficial }: { maskedPhone: string; isOfficial: boolean }) {
  const t = useTranslations();
  const signOut = useGuardedSignOut();
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={t('account.menu')}
          className="inline-flex h-10 w-10 items-center justify-center rounded-full text-white hover:bg-white/10"
        >
          <CircleUserRound aria-hidden size={26} />
        </DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuLabel>{t('account.signedInAs', { phone: maskedPhone })}</DropdownMenuLabel>
          <DropdownMenuSeparator />
          {isOfficial && (
            <DropdownMenuItem asChild>
              <Link href="/ops">
                <ShieldPlus aria-hidden size={18} />
                {t('nav.ops')}
              </Link>
            </DropdownMenuItem>
          )}
          <DropdownMenuItem asChild>
            <Link href="/settings">
              <Settings aria-hidden size={18} />
              {t('nav.settings')}
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => void signOut.request()}>
            <LogOut aria-hidden size={18} />
            {t('account.signOut')}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {signOut.dialog}
    </>
  );
}
