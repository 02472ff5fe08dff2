import { unlistedStatus } from "@/lib/domain";
import type { ClusterCloud } from "@/lib/data";

/**
 * What the grid shows of the cloud's answer. The server keeps a cluster's last listing for a minute while it asks the
 * cloud for the next one; a page that did not poll for longer (a background tab: its polls stop) would get the plan
 * and the ledger for the second until the new listing arrives, and the grid would jump from the listing to the plan
 * and back. The listing on screen stays instead, shown with its time and "asking it again".
 */
export function listingOnScreen(shown: ClusterCloud | undefined, answer: ClusterCloud): ClusterCloud {
  return answer.source === "pending" && !answer.fetchedAt && shown?.fetchedAt ? { ...shown, source: "pending" } : answer;
}

/** The kinds a listing of the cloud names (lib/data/cluster-cloud.ts); the others are known from Tripod's ledger alone. */
const LISTED_KINDS: ReadonlySet<string> = new Set(["server", "security-group"]);

/** Names of the servers and security groups the cloud listed; null when the page shows the plan and the ledger. */
export function listedNames(cloud: ClusterCloud | undefined): ReadonlySet<string> | null {
  if (!cloud?.fetchedAt) return null;
  return new Set([...cloud.securityGroups, ...cloud.servers.filter((s) => s.id !== null).map((s) => s.name)]);
}

/**
 * A resource's status as the page shows it, agreeing with the grid (lib/data/cluster-cloud.ts portGrid): a server or
 * security group as the cloud's listing has it when there is one (listed: present, or deleting while a teardown runs;
 * recorded present but not listed: missing, or deleted while a teardown runs), anything else — and everything while
 * the cloud is not read — as Tripod recorded it.
 */
export function shownStatus(resource: { kind: string; name: string; status: string }, clusterStatus: string, listed: ReadonlySet<string> | null): string {
  if (!listed || !LISTED_KINDS.has(resource.kind)) return resource.status;
  const tearingDown = clusterStatus === "tearing-down";
  return listed.has(resource.name) ? (tearingDown ? "deleting" : "present") : unlistedStatus(resource.status, tearingDown);
}
