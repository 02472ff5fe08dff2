import type { Db } from "@/lib/db";
import { openSecret } from "@/lib/crypto/seal";
import { INSTALLER_FILES, type InstallerFileKey } from "@/lib/domain";

/** A cluster's uploaded installer files (all, or those of `kinds`), unsealed, by key (missing ones absent). */
export async function loadInstallerFiles(db: Db, clusterId: string, kinds?: InstallerFileKey[]): Promise<Partial<Record<InstallerFileKey, string>>> {
  const rows = await db.installerFile.findMany({ where: { clusterId, ...(kinds ? { kind: { in: kinds } } : {}) }, select: { kind: true, sealed: true } });
  return Object.fromEntries(
    rows.filter((r) => (INSTALLER_FILES as readonly string[]).includes(r.kind)).map((r) => [r.kind, openSecret(r.sealed)]),
  );
}
