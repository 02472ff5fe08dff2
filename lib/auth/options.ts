import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { prisma } from "@/lib/db";
import { logUnexpected } from "@/lib/db-errors";
import { signIn, signOut } from "@/lib/data/signin";
import { LOGIN_MESSAGES } from "./login-throttle";
import { authSecret } from "./secret";
import { SESSION_MAX_AGE_S } from "./session-renewal";
import { sourceAddress } from "./source";

const MAX_FIELD = 256;

/** Sign-in could not be checked: the database is unavailable (lib/db-errors.ts), or an error of ours (logged). */
const SIGN_IN_UNAVAILABLE = "Tripod cannot reach its database right now (it may be restarting). Try again in a moment.";
const SIGN_IN_FAILED = "Sign-in failed on our side. Try again, or ask an administrator to look at the server log.";

/** The sentence the sign-in form shows for an error of the check itself, never the error's own text. */
function signInFailure(error: unknown): Error {
  return new Error(logUnexpected(error, "sign-in") === "unavailable" ? SIGN_IN_UNAVAILABLE : SIGN_IN_FAILED);
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export const authOptions: NextAuthOptions = {
  // Cookies get the Secure flag and the __Secure- prefix when NEXTAUTH_URL is https (next-auth's useSecureCookies).
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  secret: authSecret,
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Credentials",
      credentials: {
        username: { label: "User name", type: "text" },
        password: { label: "Password", type: "password" },
        domain: { label: "Keystone domain", type: "text" },
      },
      async authorize(credentials, req) {
        const username = credentials?.username?.trim() ?? "";
        const password = credentials?.password ?? "";
        const domain = credentials?.domain?.trim() ?? "";
        if (!username || !password || username.length > MAX_FIELD || password.length > MAX_FIELD || domain.length > MAX_FIELD) {
          throw new Error(LOGIN_MESSAGES.invalid);
        }
        const source = sourceAddress(header(req?.headers, "x-forwarded-for"));
        const result = await signIn(prisma, { username, password, domain, source }).catch((error: unknown) => Promise.reject(signInFailure(error)));
        // Thrown messages reach the sign-in form as `error`; they are written for people, never a stack.
        if (!result.ok) throw new Error(LOGIN_MESSAGES[result.reason]);
        return { id: result.user.id, name: result.user.username, sessionVersion: result.user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    // The token names the user and the session version it was issued under; roles and memberships are read fresh
    // from the database on each request, and a token of an older version (or a disabled user) is refused there.
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) Object.assign(session.user, { id: token.sub, sv: token.sv });
      return session;
    },
    // Only same-origin paths after sign-in and sign-out (never //host, /\host or another site).
    redirect({ url, baseUrl }) {
      return safeRedirect(url, baseUrl);
    },
  },
  events: {
    async signOut({ token }) {
      if (token?.sub) await signOut(prisma, token.sub);
    },
  },
};

/** A same-origin absolute URL for `url` (a path or an absolute URL of this origin), else the dashboard's home. */
export function safeRedirect(url: string, baseUrl: string): string {
  const path = safeCallbackPath(url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url);
  return `${baseUrl}${path}`;
}

/** A path on this site to go to after sign-in: a single leading slash, no backslash, no scheme; else /clusters. */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f]/.test(value)) return "/clusters";
  try {
    const parsed = new URL(value, "http://tripod.invalid");
    if (parsed.origin !== "http://tripod.invalid") return "/clusters";
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return "/clusters";
  }
}
