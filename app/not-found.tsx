import { NotFoundCard } from '@/components/not-found-card';

// The root boundary is part of every page's payload, the scanner's offline shell included: with the
// site's header here, every page would load the account menu's dropdown and dialog eagerly. Groups that
// have the header show their own not-found inside it ((resident)/not-found.tsx); unknown addresses get
// this plain page.
export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-5xl px-4 pt-10">
      <NotFoundCard />
    </main>
  );
}
