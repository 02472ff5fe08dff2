import { readFileSync } from "node:fs";
import { parse } from "yaml";

// Keystone users for the e2e Keystone sign-in, made and removed through the local cloud's admin account
// (`tripod-admin` in the cloud's clouds.yaml), straight over the Identity v3 API.

interface CloudEntry {
  auth: { auth_url: string; username: string; password: string; project_name: string; user_domain_name: string; project_domain_name: string };
}

const STATE = process.env.TRIPOD_CLOUD_STATE ?? "/var/tmp/tripod-cloud";

function cloud(name: string): CloudEntry {
  return (parse(readFileSync(`${STATE}/clouds.yaml`, "utf8")) as { clouds: Record<string, CloudEntry> }).clouds[name];
}

export class KeystoneAdmin {
  private constructor(private readonly url: string, private readonly token: string) {}

  static async open(): Promise<KeystoneAdmin> {
    const { auth } = cloud("tripod-admin");
    const res = await fetch(`${auth.auth_url}/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: { methods: ["password"], password: { user: { name: auth.username, password: auth.password, domain: { name: auth.user_domain_name } } } },
          scope: { project: { name: auth.project_name, domain: { name: auth.project_domain_name } } },
        },
      }),
    });
    if (res.status !== 201) throw new Error(`Keystone admin sign-in: ${res.status} ${await res.text()}`);
    return new KeystoneAdmin(auth.auth_url, res.headers.get("x-subject-token")!);
  }

  private async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { "x-auth-token": this.token, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`Keystone ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
  }

  private async idOf(collection: string, query: string): Promise<string> {
    const list = (await this.call("GET", `/${collection}?${query}`))[collection] as { id: string }[];
    if (!list[0]) throw new Error(`no ${collection} matches ${query}`);
    return list[0].id;
  }

  /** A user in `domain`, with `role` on `project` of that domain when given; returns the user id. */
  async createUser(domain: string, name: string, password: string, grant?: { project: string; role: string }): Promise<string> {
    const domainId = await this.idOf("domains", `name=${encodeURIComponent(domain)}`);
    const user = (await this.call("POST", "/users", { user: { name, password, domain_id: domainId, enabled: true } })).user as { id: string };
    if (grant) {
      const projectId = await this.idOf("projects", `name=${encodeURIComponent(grant.project)}&domain_id=${domainId}`);
      const roleId = await this.idOf("roles", `name=${encodeURIComponent(grant.role)}`);
      await this.call("PUT", `/projects/${projectId}/users/${user.id}/roles/${roleId}`);
    }
    return user.id;
  }

  async deleteUser(id: string): Promise<void> {
    await this.call("DELETE", `/users/${id}`).catch(() => undefined);
  }
}
