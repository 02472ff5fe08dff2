// Keystone v3 auth request bodies (POST /v3/auth/tokens). The HTTP exchange, caching and refresh live in client.ts.

/** Password auth, scoped to a project. Field names follow lib/data/clouds.ts (clouds.yaml's auth block in camelCase). */
export interface PasswordAuth {
  type: "password";
  username?: string;
  userId?: string;
  password: string;
  userDomainName?: string;
  userDomainId?: string;
  projectName?: string;
  projectId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
}

/** Application credential: by id, or by name together with its owner. Always scoped to its own project. */
export interface ApplicationCredentialAuth {
  type: "application_credential";
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret: string;
  username?: string;
  userId?: string;
  userDomainName?: string;
  userDomainId?: string;
}

export type AuthOptions = PasswordAuth | ApplicationCredentialAuth;

type Domain = { id: string } | { name: string };

function domain(id: string | undefined, name: string | undefined): Domain | undefined {
  if (id) return { id };
  if (name) return { name };
  return undefined;
}

function user(a: { userId?: string; username?: string; userDomainId?: string; userDomainName?: string }) {
  if (a.userId) return { id: a.userId };
  // Keystone wants a domain with a user name; "default" is every deployment's default domain id.
  return { name: a.username, domain: domain(a.userDomainId, a.userDomainName) ?? { id: "default" } };
}

export function toAuthRequestBody(auth: AuthOptions): { auth: Record<string, unknown> } {
  if (auth.type === "application_credential") {
    const credential = auth.applicationCredentialId
      ? { id: auth.applicationCredentialId, secret: auth.applicationCredentialSecret }
      : { name: auth.applicationCredentialName, user: user(auth), secret: auth.applicationCredentialSecret };
    return { auth: { identity: { methods: ["application_credential"], application_credential: credential } } };
  }
  const project = auth.projectId
    ? { id: auth.projectId }
    : auth.projectName
      ? { name: auth.projectName, domain: domain(auth.projectDomainId, auth.projectDomainName) ?? { id: "default" } }
      : undefined;
  return {
    auth: {
      identity: { methods: ["password"], password: { user: { ...user(auth), password: auth.password } } },
      ...(project ? { scope: { project } } : {}),
    },
  };
}

/** Who the credentials claim to be, for error messages (never includes a secret). */
export function describeAuth(auth: AuthOptions): string {
  if (auth.type === "application_credential") {
    return `application credential ${auth.applicationCredentialId ?? auth.applicationCredentialName ?? "?"}`;
  }
  const who = auth.username ?? auth.userId ?? "?";
  const where = auth.projectName ?? auth.projectId;
  return where ? `user ${who} in project ${where}` : `user ${who}`;
}
