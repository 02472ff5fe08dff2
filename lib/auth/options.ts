import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { prisma } from "@/lib/db";
import { verifyLogin } from "./credentials";
import { LOGIN_MESSAGES } from "./login-throttle";
import { authSecret } from "./secret";

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  secret: authSecret,
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Credentials",
      credentials: {
        username: { label: "User name", type: "text" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        const username = credentials?.username?.trim() ?? "";
        const password = credentials?.password ?? "";
        if (!username || !password) throw new Error(LOGIN_MESSAGES.invalid);
        const result = await verifyLogin(prisma, username, password);
        // Thrown messages reach the sign-in form as `error`; they are written for people, never a stack.
        if (!result.ok) throw new Error(LOGIN_MESSAGES[result.reason]);
        return { id: result.user.id, name: result.user.username };
      },
    }),
  ],
  callbacks: {
    // The token only names the user; roles and memberships are read fresh from the database on each request.
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
