// clouds.yaml + secure.yaml + OS_* variables, resolved the way openstacksdk's config loader does:
// - files: $OS_CLIENT_CONFIG_FILE, then ./, ~/.config/openstack/, /etc/xdg/openstack/, /etc/openstack/, each as
//   clouds.yaml, clouds.yml, clouds.json; the first that exists wins. secure.* is found the same way
//   ($OS_CLIENT_SECURE_FILE first) and deep-merged over it.
// - OS_* variables (other than the selectors OS_CLOUD, OS_REGION_NAME, OS_CLIENT_*_FILE, OS_CLOUD_NAME) form one more
//   cloud named "envvars" (or $OS_CLOUD_NAME).
// - the cloud: the one asked for, else $OS_CLOUD, else the env cloud, else the only cloud there is; the region: the
//   one asked for, else $OS_REGION_NAME (as the openstack CLI does), else the cloud's region_name / first of regions.
// - auth options may sit at the top of a cloud or in its `auth:` block (top level wins); `domain_*` fills both the
//   user and project domain; `tenant_*` means `project_*`; `endpoint_type` means `interface`.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { AuthOptions, EndpointInterface, SessionOptions } from "./client";

export type CloudConfigErrorKind = "UnknownCloud" | "NoCloudSelected" | "InvalidConfig" | "MissingOption" | "UnreadableCaBundle";

export class CloudConfigError extends Error {
  constructor(
    readonly kind: CloudConfigErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "CloudConfigError";
  }
}

export const isUnknownCloud = (err: unknown): err is CloudConfigError => err instanceof CloudConfigError && err.kind === "UnknownCloud";

export interface ConfigEnvironment {
  env?: Record<string, string | undefined>;
  cwd?: string;
  home?: string;
  /** File reader (tests); undefined when the file does not exist. */
  readFile?: (file: string) => string | undefined;
}

export interface ResolvedCloud {
  name: string;
  /** Where clouds.yaml / secure.yaml were read from (undefined for a cloud made of OS_* variables only). */
  configFile?: string;
  secureFile?: string;
  session: Pick<SessionOptions, "authUrl" | "auth" | "region" | "interface" | "caBundle" | "insecure">;
}

type Dict = Record<string, unknown>;

const SELECTORS = new Set(["OS_CLOUD", "OS_REGION_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME"]);
const SUFFIXES = [".yaml", ".yml", ".json"];
const AUTH_KEYS = [
  "auth_url",
  "username",
  "user_id",
  "password",
  "project_name",
  "project_id",
  "user_domain_name",
  "user_domain_id",
  "project_domain_name",
  "project_domain_id",
  "domain_name",
  "domain_id",
  "application_credential_id",
  "application_credential_name",
  "application_credential_secret",
];
const ALIASES: Record<string, string> = { tenant_name: "project_name", tenant_id: "project_id", endpoint_type: "interface" };

const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

export function searchDirs(e: Required<Pick<ConfigEnvironment, "cwd" | "home">> & { env: Record<string, string | undefined> }): string[] {
  const xdgConfig = e.env.XDG_CONFIG_HOME || path.join(e.home, ".config");
  const xdgSite = (e.env.XDG_CONFIG_DIRS || "/etc/xdg").split(":")[0];
  const dirs = [e.cwd, path.join(xdgConfig, "openstack"), path.join(e.home, ".config", "openstack"), path.join(xdgSite, "openstack"), "/etc/openstack"];
  return [...new Set(dirs)];
}

export function candidateFiles(base: "clouds" | "secure", override: string | undefined, dirs: string[]): string[] {
  return [...(override ? [override] : []), ...dirs.flatMap((d) => SUFFIXES.map((s) => path.join(d, base + s)))];
}

function defaultReadFile(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

function loadFirst(files: string[], read: (f: string) => string | undefined): { file: string; data: Dict } | undefined {
  for (const file of files) {
    const text = read(file);
    if (text === undefined) continue;
    let data: unknown;
    try {
      data = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      throw new CloudConfigError("InvalidConfig", `${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message}`);
    }
    if (!isDict(data)) throw new CloudConfigError("InvalidConfig", `${file} is empty or not a mapping`);
    return { file, data };
  }
  return undefined;
}

export function deepMerge(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isDict(v) && isDict(out[k]) ? deepMerge(out[k] as Dict, v) : v;
  return out;
}

/** The cloud the OS_* variables describe, or undefined when only selectors are set. */
export function envCloud(env: Record<string, string | undefined>): Dict | undefined {
  const keys = Object.keys(env).filter(
    (k) => k.startsWith("OS_") && !k.startsWith("OS_TEST") && !k.startsWith("OS_STD") && !k.startsWith("OS_LOG") && env[k] !== undefined,
  );
  if (!keys.some((k) => !SELECTORS.has(k))) return undefined;
  return Object.fromEntries(keys.map((k) => [k.slice(3).toLowerCase(), env[k]]));
}

/** Flattens a cloud entry: aliases renamed, auth options gathered in `auth` (top level wins), domains expanded. */
export function normaliseCloud(entry: Dict): { auth: Dict; rest: Dict } {
  const rename = (d: Dict) => Object.fromEntries(Object.entries(d).map(([k, v]) => [ALIASES[k.replace(/-/g, "_")] ?? k.replace(/-/g, "_"), v]));
  const top = rename(entry);
  const auth = rename(isDict(top.auth) ? top.auth : {});
  const rest: Dict = {};
  for (const [k, v] of Object.entries(top)) {
    if (k === "auth") continue;
    if (AUTH_KEYS.includes(k)) auth[k] = v;
    else rest[k] = v;
  }
  for (const kind of ["id", "name"] as const) {
    const shared = auth[`domain_${kind}`];
    if (shared === undefined) continue;
    auth[`user_domain_${kind}`] ??= shared;
    auth[`project_domain_${kind}`] ??= shared;
    delete auth[`domain_${kind}`];
  }
  return { auth, rest };
}

const str = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : String(v));
const bool = (v: unknown) => v === true || String(v).toLowerCase() === "true";

export function toAuthOptions(cloud: string, auth: Dict, authType: string | undefined): AuthOptions {
  const s = (k: string) => str(auth[k]);
  const type = authType ?? (s("application_credential_secret") && !s("password") ? "v3applicationcredential" : "password");
  const user = { username: s("username"), userId: s("user_id"), userDomainName: s("user_domain_name"), userDomainId: s("user_domain_id") };
  if (type === "v3applicationcredential" || type === "application_credential") {
    const secret = s("application_credential_secret");
    if (!secret || !(s("application_credential_id") || s("application_credential_name"))) {
      throw new CloudConfigError("MissingOption", `Cloud ${cloud}: application credential auth needs application_credential_id (or _name) and _secret`);
    }
    return { type: "application_credential", applicationCredentialId: s("application_credential_id"), applicationCredentialName: s("application_credential_name"), applicationCredentialSecret: secret, ...user };
  }
  if (type !== "password" && type !== "v3password") {
    throw new CloudConfigError("InvalidConfig", `Cloud ${cloud}: auth_type ${type} is not supported (password, v3applicationcredential)`);
  }
  const password = s("password");
  if (!password || !(user.username || user.userId)) {
    throw new CloudConfigError("MissingOption", `Cloud ${cloud}: password auth needs username (or user_id) and password`);
  }
  return {
    type: "password",
    password,
    ...user,
    projectName: s("project_name"),
    projectId: s("project_id"),
    projectDomainName: s("project_domain_name"),
    projectDomainId: s("project_domain_id"),
  };
}

function firstRegion(rest: Dict): string | undefined {
  if (Array.isArray(rest.regions) && rest.regions.length > 0) {
    const r = rest.regions[0];
    return isDict(r) ? str(r.name) : str(r);
  }
  return str(rest.region_name)?.split(",")[0];
}

export interface LoadCloudOptions extends ConfigEnvironment {
  cloud?: string;
  region?: string;
}

/** Resolves one cloud to session options; throws CloudConfigError with the reason when it cannot. */
export function loadCloud(opts: LoadCloudOptions = {}): ResolvedCloud {
  const env = opts.env ?? process.env;
  const read = opts.readFile ?? defaultReadFile;
  const dirs = searchDirs({ env, cwd: opts.cwd ?? process.cwd(), home: opts.home ?? homedir() });
  const clouds = loadFirst(candidateFiles("clouds", env.OS_CLIENT_CONFIG_FILE, dirs), read);
  const secure = loadFirst(candidateFiles("secure", env.OS_CLIENT_SECURE_FILE, dirs), read);
  const merged = deepMerge(clouds?.data ?? {}, secure?.data ?? {});
  const all: Dict = isDict(merged.clouds) ? { ...merged.clouds } : {};

  const envName = env.OS_CLOUD_NAME || "envvars";
  const fromEnv = envCloud(env);
  if (fromEnv) {
    if (envName in all) throw new CloudConfigError("InvalidConfig", `${clouds?.file} defines a cloud named ${envName}, the name of the OS_* cloud`);
    all[envName] = fromEnv;
  }
  const names = Object.keys(all);
  const name = opts.cloud || env.OS_CLOUD || (fromEnv ? envName : names.length === 1 ? names[0] : undefined);
  if (!name) {
    throw new CloudConfigError(
      "NoCloudSelected",
      names.length === 0
        ? `No clouds.yaml found (looked in ${dirs.join(", ")}) and no OS_* variables set`
        : `Several clouds are defined (${names.join(", ")}): choose one with OS_CLOUD`,
    );
  }
  const entry = all[name];
  if (!isDict(entry)) {
    throw new CloudConfigError(
      "UnknownCloud",
      `Cloud ${name} was not found${clouds ? ` in ${clouds.file}` : ""}; known clouds: ${names.join(", ") || "none"}`,
    );
  }
  const { auth, rest } = normaliseCloud(entry);
  const identityVersion = str(rest.identity_api_version);
  if (identityVersion && !identityVersion.startsWith("3")) {
    throw new CloudConfigError("InvalidConfig", `Cloud ${name}: identity_api_version ${identityVersion} is not supported (only 3)`);
  }
  const authUrl = str(auth.auth_url);
  if (!authUrl) throw new CloudConfigError("MissingOption", `Cloud ${name} has no auth_url`);
  const iface = str(rest.interface) ?? "public";
  if (!["public", "internal", "admin"].includes(iface)) throw new CloudConfigError("InvalidConfig", `Cloud ${name}: interface ${iface} is not public, internal or admin`);
  const cacert = str(rest.cacert);
  let caBundle: string | undefined;
  if (cacert) {
    caBundle = read(cacert);
    if (caBundle === undefined) throw new CloudConfigError("UnreadableCaBundle", `Cloud ${name}: cacert ${cacert} cannot be read`);
  }
  return {
    name,
    configFile: clouds?.file,
    secureFile: secure?.file,
    session: {
      authUrl,
      auth: toAuthOptions(name, auth, str(rest.auth_type)),
      region: opts.region ?? env.OS_REGION_NAME ?? firstRegion(rest),
      interface: iface as EndpointInterface,
      caBundle,
      insecure: rest.verify === false || bool(rest.insecure),
    },
  };
}
