import { NotFoundCard } from '@/components/not-found-card';

// notFound() in the resident pages (a person or code that is not theirs): shown inside the group's
// frame, header included.
export default function NotFound() {
  return <NotFoundCard />;
}
