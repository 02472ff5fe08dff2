/** Keystone's v3 root: `http://host:5000` and `http://host:5000/v3/` both become `http://host:5000/v3`. */
export function identityV3Root(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, "");
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

export const tokensUrl = (authUrl: string) => `${identityV3Root(authUrl)}/auth/tokens`;
