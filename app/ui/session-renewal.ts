"use client";

import { useEffect } from "react";
import type { SessionRenewal } from "@/lib/data";

/**
 * Renews the session cookie (GET /api/auth/session issues it again) when it is due: `dueInMs` after the page was
 * rendered, as the server computed it from the cookie (lib/auth/session-renewal.ts), then `everyMs` after each
 * renewal. Checked when the page opens, whenever its tab comes back into view, and every minute while it is in
 * view: someone who works in one tab through clicks alone keeps the session too (the frame stays mounted, and its
 * layout is not rendered again); a tab out of view never renews it. A hook of the dashboard's frame
 * (app-shell.tsx), not a component of its own: every client component a page renders costs the server a reference in
 * the page's RSC payload.
 */
const CHECK_IN_VIEW_MS = 60_000;

export function useSessionRenewal({ dueInMs, everyMs }: SessionRenewal) {
  useEffect(() => {
    // measured from the browser's own clock at mount, so that a skewed clock does not matter
    let dueAt = Date.now() + dueInMs;
    const renewIfDue = () => {
      if (document.visibilityState !== "visible" || Date.now() < dueAt) return;
      dueAt = Date.now() + everyMs;
      void fetch("/api/auth/session", { credentials: "same-origin" }).catch(() => undefined);
    };
    renewIfDue();
    document.addEventListener("visibilitychange", renewIfDue);
    const inView = setInterval(renewIfDue, CHECK_IN_VIEW_MS);
    return () => {
      document.removeEventListener("visibilitychange", renewIfDue);
      clearInterval(inView);
    };
  }, [dueInMs, everyMs]);
}
