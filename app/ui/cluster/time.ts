// Times as the cluster page shows them: UTC, fixed format (the server and the browser render the same text).
const clock = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" });

export function clockTime(iso: string | null): string {
  return iso ? clock.format(new Date(iso)) : "—";
}

export function duration(start: string | null, end: string | null, now = Date.now()): string {
  if (!start) return "";
  const ms = (end ? new Date(end).getTime() : now) - new Date(start).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
