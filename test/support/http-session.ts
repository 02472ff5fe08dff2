import { readFileSync } from "node:fs";

// A browser's requests without a browser: next-auth's credentials sign-in and server action calls, as the
// dashboard's own pages send them.

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]);
}

/** next-auth's credentials sign-in as the form posts it (its CSRF token fetched first); the answer, not followed. */
export async function postSignIn(baseUrl: string, username: string, password: string): Promise<Response> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, username, password, callbackUrl: baseUrl, json: "true" }),
  });
}

/** Signs in with user name and password; returns the Cookie header of the session. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await postSignIn(baseUrl, username, password);
  const session = cookiesOf(response).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in of ${username} at ${baseUrl} failed (${response.status})`);
  return session;
}

/** The id of a server action of the production build (`next build`), by its source file and export name. */
export function serverActionId(sourceFile: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, a]) => a.filename === sourceFile && a.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} of ${sourceFile} in the build`);
  return found[0];
}

/** Calls a server action the way a page's button does (POST to the page with the Next-Action header). */
export async function callServerAction(baseUrl: string, pagePath: string, cookie: string, actionId: string, args: unknown[]): Promise<string> {
  const response = await fetch(`${baseUrl}${pagePath}`, {
    method: "POST",
    headers: { "next-action": actionId, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", origin: baseUrl, cookie },
    body: JSON.stringify(args),
  });
  if (!response.ok) throw new Error(`server action at ${baseUrl}${pagePath} answered ${response.status}`);
  return response.text();
}
