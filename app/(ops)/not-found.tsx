import { NotFoundCard } from '@/components/not-found-card';

// notFound() in the officials' pages (a case the account may not see): shown inside the group's frame,
// header included.
export default function NotFound() {
  return <NotFoundCard />;
}
