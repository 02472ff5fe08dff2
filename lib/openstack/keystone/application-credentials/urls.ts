export const applicationCredentialsUrl = (userId: string) => `/users/${encodeURIComponent(userId)}/application_credentials`;
export const applicationCredentialUrl = (userId: string, id: string) =>
  `/users/${encodeURIComponent(userId)}/application_credentials/${encodeURIComponent(id)}`;
