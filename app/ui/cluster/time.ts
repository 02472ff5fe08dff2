import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The browser's clock, ticking every second, and null during the server render and hydration: what depends on "now"
 * (a running step's duration) renders the same text on both sides and only then starts counting.
 */
export function useNow(intervalMs = 1000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A server-rendered list asks the server for its rows again every few seconds while `active` (something runs). */
export function useRefreshWhile(active: boolean, intervalMs = 3_000): void {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
}
