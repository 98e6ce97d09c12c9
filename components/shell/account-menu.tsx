'use client';

import { CircleUserRound, LogOut, Settings, ShieldPlus } from 'lucide-react';
import Link from 'next/link';
import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { waitingOnDevice } from '@/lib/checkin/client/door-queue';

export function AccountMenu({ maskedPhone, isOfficial }: { maskedPhone: string; isOfficial: boolean }) {
  const t = useTranslations();
  const [waiting, setWaiting] = useState(0);
  const signOutNow = () => signOut({ callbackUrl: '/sign-in' });
  // Records still on this device are only sent under the checker who took them: warn before leaving.
  async function signOutChecked() {
    const n = await waitingOnDevice();
    if (n > 0) setWaiting(n);
    else await signOutNow();
  }
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
        <DropdownMenuItem onSelect={() => void signOutChecked()}>
          <LogOut aria-hidden size={18} />
          {t('account.signOut')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
    <AlertDialog open={waiting > 0} onOpenChange={(open) => !open && setWaiting(0)}>
      <AlertDialogContent data-testid="sign-out-waiting">
        <AlertDialogTitle>{t('account.signOutWaitingTitle')}</AlertDialogTitle>
        <AlertDialogDescription>{t('account.signOutWaiting', { count: waiting })}</AlertDialogDescription>
        <AlertDialogFooter>
          <AlertDialogCancel>{t('account.stay')}</AlertDialogCancel>
          <AlertDialogAction onClick={() => void signOutNow()}>{t('account.signOutAnyway')}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
    </>
  );
}
