import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { DoorShell } from './_components/door-shell';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('door'))('scanTitle') };
}

// The scanner is a static shell, rendered once at build time: it opens with no network (the service
// worker keeps it) and reads the venue, the checker and the waiting records from the device. Every
// call it makes (context, code look-up, records) is checked on the server.
export const dynamic = 'force-static';

export default function ScanPage() {
  return <DoorShell />;
}
