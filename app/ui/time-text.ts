// Times as the pages show them: UTC, fixed format (the server and the browser render the same text), usable from
// server pages and client components alike.
const clock = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** A time within the last hour or so (a chart's window, a listing just made): "03:26:39". */
export function clockTime(iso: string | null): string {
  return iso ? clock.format(new Date(iso)) : "—";
}

const UP_TO = { day: 10, minute: 16, second: 19 } as const;

/** A moment that may be days old (an event, a request, a state held since): "2026-12-06 03:26:39", UTC; or to the minute or the day. */
export function dateTime(iso: string | null, to: keyof typeof UP_TO = "second"): string {
  return iso ? new Date(iso).toISOString().slice(0, UP_TO[to]).replace("T", " ") : "—";
}

/** How long a step took, or has run until `now`: "850 ms", "12.4 s", "3 min 5 s", "1 h 12 min", "2 d 3 h". */
export function duration(start: string | null, end: string | null, now: number | null): string {
  if (!start) return "";
  if (!end && now === null) return "running";
  const ms = (end ? new Date(end).getTime() : now!) - new Date(start).getTime();
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
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
  if (now === null) return `${dateTime(iso, "minute")} UTC`;
  return secondsText(Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000)));
}
