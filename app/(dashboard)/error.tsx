"use client";

import { PageError } from "@/app/ui/page-error";

// Any page of the dashboard that fails unexpectedly: a sentence and a retry, never a stack trace (the digest ties
// it to the server log).
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError digest={error.digest} reset={reset} />;
}
