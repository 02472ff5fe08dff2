"use client";

import { useEffect } from "react";

/**
 * Renews the session cookie (GET /api/auth/session issues it again) when it is due: `dueInMs` after the page was
 * rendered, as the server computed it from the cookie (lib/auth/session-renewal.ts). Checked when the page opens and
 * whenever its tab comes back into view; a renewed cookie is next due an hour later, which the next page opened says.
 * A hook of the dashboard's frame (app-shell.tsx), not a component of its own: every client component a page
 * renders costs the server a reference in the page's RSC payload.
 */
export function useSessionRenewal(dueInMs: number) {
  useEffect(() => {
    // measured from the browser's own clock at mount, so that a skewed clock does not matter
    let dueAt = Date.now() + dueInMs;
    const renewIfDue = () => {
      if (document.visibilityState !== "visible" || Date.now() < dueAt) return;
      dueAt = Number.POSITIVE_INFINITY;
      void fetch("/api/auth/session", { credentials: "same-origin" }).catch(() => undefined);
    };
    renewIfDue();
    document.addEventListener("visibilitychange", renewIfDue);
    return () => document.removeEventListener("visibilitychange", renewIfDue);
  }, [dueInMs]);
}
