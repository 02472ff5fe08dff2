// One place for the JWT secret so proxy.ts and the next-auth options agree. `npm run demo` writes a random one
// into .env; a deployment sets NEXTAUTH_SECRET itself.
export const authSecret = process.env.NEXTAUTH_SECRET ?? "tripod-insecure-dev-secret";
