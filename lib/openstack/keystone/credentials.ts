import { z } from "zod";

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
