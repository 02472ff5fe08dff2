// Run by cluster-page.spec.ts through tsx (Playwright's loader cannot load the generated Prisma client), on the e2e
// server's database:
//   people          bob, a second member of project demo (the approver); omar, of project "other" (sees nothing);
//                   project demo requires two-person teardown
//   one-person      project demo back to one-person teardown
//   ports <cluster> the cluster's ports as the cloud's admin lists them (JSON: name, fixedIp, macAddress, bindingHost)
//   orphan <cluster> a port left behind for a deleted cluster: its name and tags, made in the tenant's project
import { createDb } from "@/lib/db";
import { seedUsers } from "@/lib/data/seed";
import { clusterTags, TAG_CLUSTER } from "@/lib/domain";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import { adminSession, tenantSession } from "../integration/lifecycle/harness";
import { network } from "../integration/openstack/cloud";

async function main(command: string | undefined, arg: string | undefined): Promise<void> {
  const db = createDb();
  try {
    switch (command) {
      case "people":
        await seedUsers(db, [
          { username: "bob", password: "tripod-bob", role: "member", projects: [{ name: "demo", role: "member" }] },
          { username: "omar", password: "tripod-omar", role: "member", projects: [{ name: "other", role: "member" }] },
        ]);
        await db.project.update({ where: { name: "demo" }, data: { twoPersonTeardown: true } });
        return;
      case "one-person":
        await db.project.update({ where: { name: "demo" }, data: { twoPersonTeardown: false } });
        return;
      case "ports": {
        const listed = await ports.list(adminSession(), { tags: [`${TAG_CLUSTER}=${arg}`] });
        console.log(JSON.stringify(listed.map((p) => ({ name: p.name, fixedIp: p.fixedIps[0]?.ipAddress, macAddress: p.macAddress, bindingHost: p.bindingHost ?? null }))));
        return;
      }
      case "orphan": {
        const { id, infraId } = await db.cluster.findUniqueOrThrow({ where: { id: arg }, select: { id: true, infraId: true } });
        const made = await ports.create(tenantSession(), { name: `${infraId}-master-0-public`, networkId: network("public").id, tags: clusterTags({ clusterId: id, infraId }) });
        console.log(made.resource.id);
        return;
      }
      default:
        throw new Error(`usage: cluster-page-fixtures.ts people | one-person | ports <cluster id> | orphan <cluster id>`);
    }
  } finally {
    await db.$disconnect();
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
