'use client';

import { Printer } from 'lucide-react';
import { Button } from '@/components/ui/button';

export function PrintButton({ label }: { label: string }) {
  return (
    <div className="no-print text-center">
      <Button size="lg" onClick={() => window.print()}>
        <Printer aria-hidden size={20} />
        {label}
      </Button>
    </div>
  );
}
