// `tsx lib/cli/register-cloud.ts --project demo --cloud tripod-demo [--clouds-yaml FILE] [--name openstack]`
// Registers a cloud from clouds.yaml (read the way openstacksdk reads it) for a Tripod project, with its
// credentials sealed, and binds the project to the OpenStack project the credentials are scoped to.
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { loadActor } from "@/lib/data/actor";
import { registerCloud, type CloudCredentials } from "@/lib/data/clouds";
import { createSession } from "@/lib/openstack/client";
import { loadCloud } from "@/lib/openstack/config";

async function main() {
  const { values } = parseArgs({
    options: { project: { type: "string" }, cloud: { type: "string" }, "clouds-yaml": { type: "string" }, name: { type: "string", default: "openstack" } },
  });
  if (!values.project || !values.cloud) throw new Error("usage: register-cloud --project NAME --cloud CLOUD [--clouds-yaml FILE] [--name NAME]");
  const env = values["clouds-yaml"] ? { ...process.env, OS_CLIENT_CONFIG_FILE: values["clouds-yaml"] } : process.env;
  const resolved = loadCloud({ cloud: values.cloud, env });
  const auth = resolved.session.auth;
  const credentials: CloudCredentials =
    auth.type === "password"
      ? {
          type: "password",
          username: auth.username ?? "",
          password: auth.password,
          userDomainName: auth.userDomainName ?? "Default",
          projectName: auth.projectName ?? "",
          projectDomainName: auth.projectDomainName ?? "Default",
        }
      : { type: "application_credential", applicationCredentialId: auth.applicationCredentialId ?? "", applicationCredentialSecret: auth.applicationCredentialSecret };

  const db = createDb();
  try {
    const project = await db.project.upsert({ where: { name: values.project }, update: {}, create: { name: values.project } });
    const adminRow = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
    const admin = adminRow && (await loadActor(db, adminRow.id));
    if (!admin) throw new Error("no admin account: run the seed first");
    const result = await registerCloud(db, admin, {
      projectId: project.id,
      name: values.name!,
      authUrl: resolved.session.authUrl,
      region: resolved.session.region,
      interface: resolved.session.interface,
      caBundle: resolved.session.caBundle,
      credentials,
    });
    if (!result.ok) throw new Error(Object.entries(result.errors).map(([k, v]) => `${k}: ${v}`).join("; "));
    // Checks the credentials for real and learns the OpenStack project id.
    const openstackProjectId = await createSession(resolved.session).projectId();
    await db.project.update({ where: { id: project.id }, data: { openstackProjectId } });
    console.log(`registered cloud "${result.cloud.name}" (${resolved.session.authUrl}, ${values.cloud}) for project ${values.project} = OpenStack project ${openstackProjectId}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`register-cloud failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
