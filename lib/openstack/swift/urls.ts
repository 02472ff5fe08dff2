// Swift paths below the account endpoint (…/v1/AUTH_<project>). Object names may contain "/", which is kept.
const enc = encodeURIComponent;

export const containerUrl = (container: string) => `/${enc(container)}`;
export const objectUrl = (container: string, object: string) => `/${enc(container)}/${object.split("/").map(enc).join("/")}`;

/** Capabilities document: `GET /info` at the root of the host, beside /v1. */
export function infoUrl(accountEndpoint: string): string {
  const url = new URL(accountEndpoint);
  const root = url.pathname.replace(/\/v1(\/.*)?$/, "");
  return `${url.origin}${root}/info`;
}
