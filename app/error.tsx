"use client";

import { PageError } from "@/app/ui/page-error";

// What app/(dashboard)/error.tsx cannot catch: a failure of the dashboard's frame itself (its layout reads the
// signed-in user from the database, so a database restarting fails it). A sentence and a retry, never a stack trace.
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main>
      <PageError digest={error.digest} reset={reset} />
    </main>
  );
}
