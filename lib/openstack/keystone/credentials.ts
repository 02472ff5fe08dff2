import { z } from "zod";
import { openSecret } from "@/lib/crypto/seal";
import type { EndpointInterface, SessionOptions } from "../client";

// Credentials as a tenant registers them and Tripod stores them (sealed): a Keystone password or an application
// credential, as in clouds.yaml's auth block. The session takes them as its AuthOptions.
export const CloudCredentialsSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("password"),
    username: z.string().min(1, "User name is required"),
    password: z.string().min(1, "Password is required"),
    userDomainName: z.string().min(1).default("Default"),
    projectName: z.string().min(1, "Project name is required"),
    projectDomainName: z.string().min(1).default("Default"),
  }),
  z.object({
    type: z.literal("application_credential"),
    applicationCredentialId: z.string().min(1, "Application credential id is required"),
    applicationCredentialSecret: z.string().min(1, "Application credential secret is required"),
  }),
]);
export type CloudCredentials = z.infer<typeof CloudCredentialsSchema>;

/** A registered cloud as stored (credentials sealed). */
export interface StoredCloud {
  authUrl: string;
  region: string | null;
  interface: string;
  caBundle: string | null;
  credentialsSealed: string;
}

/** Session options for a stored cloud: its credentials opened only here, on the way into the session. */
export function storedCloudSession(cloud: StoredCloud): Pick<SessionOptions, "authUrl" | "auth" | "region" | "interface" | "caBundle"> {
  return {
    authUrl: cloud.authUrl,
    auth: CloudCredentialsSchema.parse(JSON.parse(openSecret(cloud.credentialsSealed))),
    region: cloud.region ?? undefined,
    interface: cloud.interface as EndpointInterface,
    caBundle: cloud.caBundle ?? undefined,
  };
}
