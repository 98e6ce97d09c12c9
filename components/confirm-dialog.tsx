'use client';

import type { ReactNode } from 'react';
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog';

/**
 * A question before an action that cannot be taken back (sign out everywhere, close a case, delete the
 * account…): a title, what will happen, anything the moment adds (`extra`: records still waiting on this
 * phone), then 取消 and the action. Opened by `trigger` (a button), or controlled by `open` when the app
 * asks on its own (signing out with records waiting). Texts come translated from the caller.
 */
export function ConfirmDialog({
  trigger,
  open,
  onOpenChange,
  title,
  body,
  extra,
  cancel,
  action,
  onConfirm,
  testId,
}: {
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: ReactNode;
  body: ReactNode;
  extra?: ReactNode;
  cancel: ReactNode;
  action: ReactNode;
  onConfirm: () => void;
  testId?: string;
}) {
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      {trigger && <AlertDialogTrigger asChild>{trigger}</AlertDialogTrigger>}
      <AlertDialogContent data-testid={testId}>
        <AlertDialogTitle>{title}</AlertDialogTitle>
        <AlertDialogDescription>{body}</AlertDialogDescription>
        {extra}
        <AlertDialogFooter>
          <AlertDialogCancel>{cancel}</AlertDialogCancel>
          <AlertDialogAction onClick={onConfirm}>{action}</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
