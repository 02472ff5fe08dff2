import Link from "next/link";
import { clusterList } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function ClustersPage() {
  const clusters = await clusterList();
  return (
    <>
      <h1>Clusters</h1>
      <p>
        <Link href="/clusters/new">New cluster</Link>
      </p>
      {clusters.length === 0 ? (
        <p className="empty" data-testid="no-clusters">
          No clusters yet.
        </p>
      ) : (
        <table data-testid="clusters">
          <thead>
            <tr>
              <th>Name</th>
              <th>Project</th>
              <th>Status</th>
              <th>Created by</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/clusters/${c.id}`}>{c.name}</Link>
                </td>
                <td>{c.project}</td>
                <td>
                  <span className="badge">{c.status}</span>
                </td>
                <td>{c.createdBy}</td>
                <td>{new Date(c.createdAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
