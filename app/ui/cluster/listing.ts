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
