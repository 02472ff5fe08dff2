import { useEffect, useState } from "react";

// Times as the cluster page shows them: UTC, fixed format (the server and the browser render the same text).
const clock = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" });

export function clockTime(iso: string | null): string {
  return iso ? clock.format(new Date(iso)) : "—";
}

export function duration(start: string | null, end: string | null, now: number | null): string {
  if (!start) return "";
  if (!end && now === null) return "running";
  const ms = (end ? new Date(end).getTime() : now!) - new Date(start).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

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
