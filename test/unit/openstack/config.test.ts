import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CloudConfigError, isUnknownCloud, loadCloud } from "@/lib/openstack/config";

const HOME = "/home/u";
const CWD = "/work/app";

function files(map: Record<string, string>) {
  return (f: string) => map[f];
}

const CLOUDS = `
clouds:
  demo:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      project_name: demo
      user_domain_name: tripod
      project_domain_name: tripod
    region_name: RegionOne
    interface: public
    identity_api_version: 3
  other:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example.com
      application_credential_id: ac1
      application_credential_secret: s3cret
    regions: [RegionTwo, RegionThree]
    cacert: /etc/ssl/cloud-ca.pem
`;
const SECURE = `
clouds:
  demo:
    auth:
      password: from-secure
`;

describe("clouds.yaml search order (openstacksdk's)", () => {
  it("reads ./clouds.yaml before ~/.config/openstack and /etc/openstack, and merges secure.yaml over it", () => {
    const c = loadCloud({
      cloud: "demo",
      env: {},
      home: HOME,
      cwd: CWD,
      readFile: files({
        [`${CWD}/clouds.yaml`]: CLOUDS,
        [`${HOME}/.config/openstack/clouds.yaml`]: "clouds: {}",
        "/etc/openstack/secure.yaml": SECURE,
      }),
    });
    expect(c.configFile).toBe(`${CWD}/clouds.yaml`);
    expect(c.secureFile).toBe("/etc/openstack/secure.yaml");
    expect(c.session).toEqual({
      authUrl: "http://127.0.0.1:5000/v3",
      auth: {
        type: "password",
        username: "demo",
        password: "from-secure",
        userId: undefined,
        userDomainName: "tripod",
        userDomainId: undefined,
        projectName: "demo",
        projectId: undefined,
        projectDomainName: "tripod",
        projectDomainId: undefined,
      },
      region: "RegionOne",
      interface: "public",
      caBundle: undefined,
      insecure: false,
    });
  });

  it("OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE come first; OS_CLOUD picks the cloud", () => {
    const c = loadCloud({
      env: { OS_CLIENT_CONFIG_FILE: "/x/my.yaml", OS_CLIENT_SECURE_FILE: "/x/sec.yaml", OS_CLOUD: "demo" },
      home: HOME,
      cwd: CWD,
      readFile: files({ "/x/my.yaml": CLOUDS, [`${CWD}/clouds.yaml`]: "clouds: {}", "/x/sec.yaml": SECURE }),
    });
    expect(c.name).toBe("demo");
    expect(c.configFile).toBe("/x/my.yaml");
    expect(c.session.auth).toMatchObject({ password: "from-secure" });
  });

  it("XDG_CONFIG_HOME and .yml/.json variants are searched", () => {
    const c = loadCloud({
      cloud: "j",
      env: { XDG_CONFIG_HOME: "/xdg" },
      home: HOME,
      cwd: CWD,
      readFile: files({ "/xdg/openstack/clouds.json": JSON.stringify({ clouds: { j: { auth: { auth_url: "http://k", username: "u", password: "p" } } } }) }),
    });
    expect(c.configFile).toBe("/xdg/openstack/clouds.json");
  });

  it("application credentials, the first of `regions`, and the CA bundle read from cacert", () => {
    const c = loadCloud({
      cloud: "other",
      env: {},
      home: HOME,
      cwd: CWD,
      readFile: files({ [`${CWD}/clouds.yaml`]: CLOUDS, "/etc/ssl/cloud-ca.pem": "-----BEGIN CERTIFICATE-----\n…" }),
    });
    expect(c.session.auth).toMatchObject({ type: "application_credential", applicationCredentialId: "ac1", applicationCredentialSecret: "s3cret" });
    expect(c.session.region).toBe("RegionTwo");
    expect(c.session.caBundle).toContain("BEGIN CERTIFICATE");
  });

  it("OS_* variables make a cloud named envvars, with domain_name filling both domains", () => {
    const c = loadCloud({
      env: {
        OS_AUTH_URL: "http://k:5000",
        OS_USERNAME: "u",
        OS_PASSWORD: "p",
        OS_PROJECT_NAME: "proj",
        OS_DOMAIN_NAME: "dom",
        OS_REGION_NAME: "R",
        OS_INTERFACE: "internal",
      },
      home: HOME,
      cwd: CWD,
      readFile: files({}),
    });
    expect(c.name).toBe("envvars");
    expect(c.session).toMatchObject({ authUrl: "http://k:5000", region: "R", interface: "internal" });
    expect(c.session.auth).toMatchObject({ username: "u", projectName: "proj", userDomainName: "dom", projectDomainName: "dom" });
  });

  it("top-level auth keys and tenant_name are folded into auth", () => {
    const c = loadCloud({
      cloud: "flat",
      env: {},
      home: HOME,
      cwd: CWD,
      readFile: files({ [`${CWD}/clouds.yaml`]: "clouds:\n  flat:\n    auth_url: http://k\n    username: u\n    password: p\n    tenant_name: t\n    verify: false\n" }),
    });
    expect(c.session.auth).toMatchObject({ username: "u", password: "p", projectName: "t" });
    expect(c.session.insecure).toBe(true);
  });
});

describe("clear errors", () => {
  const read = files({ [`${CWD}/clouds.yaml`]: CLOUDS });
  const attempt = (o: Parameters<typeof loadCloud>[0]) => {
    try {
      loadCloud({ env: {}, home: HOME, cwd: CWD, readFile: read, ...o });
    } catch (err) {
      return err as CloudConfigError;
    }
    throw new Error("expected an error");
  };

  it("unknown cloud name lists the known ones and the file", () => {
    const err = attempt({ cloud: "nope" });
    expect(isUnknownCloud(err)).toBe(true);
    expect(err.message).toContain("demo, other");
    expect(err.message).toContain(`${CWD}/clouds.yaml`);
  });

  it("several clouds and none chosen", () => {
    expect(attempt({}).kind).toBe("NoCloudSelected");
  });

  it("missing password", () => {
    expect(attempt({ cloud: "demo" }).kind).toBe("MissingOption");
  });

  it("unreadable CA bundle", () => {
    expect(attempt({ cloud: "other" }).kind).toBe("UnreadableCaBundle");
  });

  it("invalid YAML names the file", () => {
    const err = attempt({ readFile: files({ [`${CWD}/clouds.yaml`]: "clouds: [" }) });
    expect(err.kind).toBe("InvalidConfig");
    expect(err.message).toContain(`${CWD}/clouds.yaml`);
  });

  it("reads real files from disk", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "clouds-"));
    writeFileSync(path.join(dir, "clouds.yaml"), CLOUDS);
    writeFileSync(path.join(dir, "secure.yml"), SECURE);
    const c = loadCloud({ cloud: "demo", env: {}, cwd: dir, home: dir });
    expect(c.session.auth).toMatchObject({ password: "from-secure" });
  });
});
