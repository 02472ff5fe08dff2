// keepalived before 2.1.5 drops a MASTER to BACKUP when it is reloaded (acassen/keepalived#1425): every
// re-render of keepalived.conf then costs a fail-over and packet loss on public access.
export const RELOAD_DEFECT_FIXED_IN = [2, 1, 5] as const;
export const RELOAD_DEFECT_ISSUE = "https://github.com/acassen/keepalived/issues/1425";

/** "Keepalived v2.2.7 (01/16,2022)" or "2.0.10" → [2, 2, 7]; null when no version is recognisable. */
export function parseKeepalivedVersion(text: string): [number, number, number] | null {
  const m = /(?:^|[\sv])(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export function hasReloadDefect(version: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i] !== RELOAD_DEFECT_FIXED_IN[i]) return version[i] < RELOAD_DEFECT_FIXED_IN[i];
  }
  return false;
}
