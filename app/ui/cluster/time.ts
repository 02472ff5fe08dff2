import { useRouter } from "next/navigation";
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

/** Seconds as the tables show an age: "45 s", "12 min", "3 h", "2 d". */
export function secondsText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** How long ago, as secondsText; before the browser's clock is known (null), the UTC time itself. */
export function age(iso: string | null, now: number | null): string {
  if (!iso) return "—";
  if (now === null) return `${iso.slice(0, 16).replace("T", " ")} UTC`;
  return secondsText(Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000)));
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
