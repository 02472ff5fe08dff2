import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadFakeroot, renderTree, stableStringify, TemplateError } from "@/lib/ignition";
import { tempDir, thrownBy } from "./helpers";

function fakeroot(files: Record<string, string | { content: string; mode: number }>) {
  const root = tempDir("render");
  for (const [rel, spec] of Object.entries(files)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof spec === "string") writeFileSync(full, spec);
    else writeFileSync(full, spec.content, { mode: spec.mode });
  }
  return loadFakeroot(root);
}

const context = { node: { name: "master-0", interfaces: { public: "ens6" }, isMaster: true }, peers: ["198.51.100.2", "198.51.100.3"] };

function catchTemplateError(run: () => unknown): TemplateError {
  const error = thrownBy(run);
  if (error instanceof TemplateError) return error;
  throw error;
}

describe("renderTree", () => {
  it("renders .hbs files with the context, strips the suffix and copies other files verbatim", () => {
    const root = fakeroot({ "all/etc/a.conf.hbs": "name={{node.name}}\n{{#each peers}}{{this}};{{/each}}", "all/etc/b.conf": "{{not rendered}}" });
    const entries = renderTree(root, ["all"], context);
    expect(entries.map((e) => [e.path, e.kind === "file" && e.content.toString()])).toEqual([
      ["/etc/a.conf", "name=master-0\n198.51.100.2;198.51.100.3;"],
      ["/etc/b.conf", "{{not rendered}}"],
    ]);
  });

  it("renders templated file names", () => {
    const root = fakeroot({ "all/etc/ifcfg-{{node.interfaces.public}}.hbs": "DEVICE={{node.interfaces.public}}" });
    expect(renderTree(root, ["all"], context).map((e) => e.path)).toEqual(["/etc/ifcfg-ens6"]);
  });

  it("sets modes from the exec bit, and 0600 for keyfiles and Tripod secrets", () => {
    const root = fakeroot({
      "all/usr/local/bin/tool": { content: "#!/bin/sh\n", mode: 0o755 },
      "all/etc/plain.conf": { content: "x", mode: 0o664 },
      "all/etc/NetworkManager/system-connections/ens3.nmconnection": "[connection]\n",
      "all/etc/sysconfig/tripod-vrrp-agent": "SECRET=x\n",
    });
    const modes = Object.fromEntries(renderTree(root, ["all"], context).map((e) => [e.path, e.kind === "file" ? e.mode.toString(8) : ""]));
    expect(modes).toEqual({
      "/usr/local/bin/tool": "755",
      "/etc/plain.conf": "644",
      "/etc/NetworkManager/system-connections/ens3.nmconnection": "600",
      "/etc/sysconfig/tripod-vrrp-agent": "600",
    });
  });

  it("names the template and the missing variable (strict mode)", () => {
    const root = fakeroot({ "all/etc/x.conf.hbs": "ok\n{{node.missing}}\n" });
    const error = catchTemplateError(() => renderTree(root, ["all"], context));
    expect(error.template).toBe("all/etc/x.conf.hbs");
    expect(error.detail).toMatch(/"missing" not defined/);
  });

  it("names the template on a syntax error", () => {
    const root = fakeroot({ "master/etc/x.conf.hbs": "{{#if node.isMaster}}unclosed" });
    expect(catchTemplateError(() => renderTree(root, ["master"], context)).template).toBe("master/etc/x.conf.hbs");
  });

  it("refuses two overlays writing one path, naming both files", () => {
    const root = fakeroot({ "all/etc/x.conf": "a", "master/etc/x.conf.hbs": "b" });
    const error = catchTemplateError(() => renderTree(root, ["all", "master"], context));
    expect(error.message).toBe("master/etc/x.conf.hbs: writes /etc/x.conf, which all/etc/x.conf writes too");
    expect(renderTree(root, ["all"], context)).toHaveLength(1);
  });

  it("refuses unknown overlays and file names that render to a path", () => {
    expect(() => renderTree(fakeroot({ "mastr/etc/x": "a" }), ["all"], context)).toThrow(/mastr: is not a known overlay/);
    const slash = fakeroot({ "all/etc/{{node.name}}.conf": "a" });
    expect(() => renderTree(slash, ["all"], { node: { name: "../x" } })).toThrow(TemplateError);
  });

  it("uses partials from _partials", () => {
    const root = fakeroot({ "_partials/line.hbs": "[{{value}}]", "all/etc/p.hbs": "{{> line value=node.name}}" });
    expect(renderTree(root, ["all"], context).map((e) => e.kind === "file" && e.content.toString())).toEqual(["[master-0]"]);
  });
});

describe("stableStringify", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it("keeps a __proto__ key as data", () => {
    expect(stableStringify(JSON.parse('{"__proto__":{"x":1},"a":2}'))).toBe('{"__proto__":{"x":1},"a":2}');
  });
});
