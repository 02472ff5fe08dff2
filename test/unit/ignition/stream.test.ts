import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Fakeroot,
  type IgnitionConfig,
  InvalidGeneratedConfigError,
  loadFakeroot,
  renderNodeConfig,
  serializeConfig,
  serializeNodeConfig,
  sha512Hex,
  stableStringify,
  StreamedString,
  TemplateError,
  writeConfigFile,
  writeNodeConfig,
  writeStableJson,
} from "@/lib/ignition";
import { NODE_NAMES } from "@/lib/domain";
import { demoRenderInput, ignitionValidate, tempDir, thrownBy } from "./helpers";

// The streamed serialisation (writeNodeConfig, writeStableJson) against the serialisation as it was before it streamed:
// JSON.stringify of a copy with its keys sorted, the oracle here.
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedCopy((value as Record<string, unknown>)[key])]));
}
const oracle = (config: unknown) => JSON.stringify(sortedCopy(config));

function collect(write: (sink: { write(text: string): void }) => void): { text: string; writes: number } {
  const parts: string[] = [];
  write({ write: (text) => parts.push(text) });
  return { text: parts.join(""), writes: parts.length };
}

describe("writeNodeConfig on the demo spec", () => {
  const input = demoRenderInput();
  it.each(NODE_NAMES)("%s: the streamed bytes are the old serialisation of renderNodeConfig", (node) => {
    const streamed = collect((sink) => writeNodeConfig(input, node, sink)).text;
    expect(streamed).toBe(oracle(renderNodeConfig(input, node)));
    expect(serializeNodeConfig(input, node)).toBe(streamed);
    expect(serializeConfig(renderNodeConfig(input, node))).toBe(streamed);
  });

  it("gives a SHA-512 sink the bytes the bootstrap pointer hashes", () => {
    const hash = createHash("sha512");
    writeNodeConfig(input, "bootstrap", { write: (text) => hash.update(text) });
    expect(hash.digest("hex")).toBe(sha512Hex(serializeConfig(renderNodeConfig(input, "bootstrap"))));
  });
});

// Binary (NUL, invalid UTF-8, larger than one base64 piece and not a multiple of 3), an empty file, non-ASCII
// content and file names, a template, an executable, a private path and symlinks.
const FILES: Record<string, Buffer | string | { link: string } | { exec: string }> = {
  "all/etc/blob.bin": Buffer.from(Array.from({ length: 200_003 }, (_, i) => (i * 7919) % 256)),
  "all/etc/nul.txt": Buffer.from("a\0b"),
  "all/etc/latin1": Buffer.from([0x63, 0x61, 0x66, 0xe9]),
  "all/etc/empty": "",
  "all/etc/motd": "café ☕ — 𝄞\n",
  "all/etc/ünïcode-名前.conf": "name=ü\n",
  "all/etc/hello.conf.hbs": "node={{node.name}} ✓ \"quoted\" \\ back\n",
  "all/usr/local/bin/tool": { exec: "#!/bin/sh\necho ok\n" },
  "all/etc/tripod/secret": "s3cret\n",
  "all/etc/motd.link": { link: "motd" },
  "master/etc/kubernetes/abs-link": { link: "/etc/motd" },
};

function writeTree(files: typeof FILES): string {
  const root = tempDir("stream");
  for (const [rel, spec] of Object.entries(files)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof spec === "object" && "link" in spec) symlinkSync(spec.link, full);
    else if (typeof spec === "object" && "exec" in spec) writeFileSync(full, spec.exec, { mode: 0o755 });
    else writeFileSync(full, spec);
  }
  return root;
}

describe("writeNodeConfig on a tree of binary files, symlinks, executables and non-ASCII", () => {
  const input = demoRenderInput();
  const fakeroot = loadFakeroot(writeTree(FILES));

  it.each(["bootstrap", "master-0"] as const)("%s: the streamed bytes are the old serialisation, and Ignition accepts them", (node) => {
    const config = renderNodeConfig(input, node, fakeroot);
    const streamed = collect((sink) => writeNodeConfig(input, node, sink, fakeroot)).text;
    expect(streamed).toBe(oracle(config));
    expect(ignitionValidate(streamed)).toEqual({ ok: true, output: "" });
    const files = Object.fromEntries((config.storage?.files ?? []).map((f) => [f.path, f]));
    expect(files["/etc/blob.bin"].contents?.source).toBe(`data:application/octet-stream;base64,${(FILES["all/etc/blob.bin"] as Buffer).toString("base64")}`);
    expect(files["/etc/ünïcode-名前.conf"].contents?.source).toBe(`data:text/plain;charset=utf-8;base64,${Buffer.from("name=ü\n").toString("base64")}`);
    expect(files["/usr/local/bin/tool"].mode).toBe(0o755);
    expect(files["/etc/tripod/secret"].mode).toBe(0o600);
    expect(config.storage?.links?.map((l) => l.path)).toEqual(node === "bootstrap" ? ["/etc/motd.link"] : ["/etc/kubernetes/abs-link", "/etc/motd.link"]);
  });

  it("gives the same bytes from an in-memory content source", () => {
    const memory: Fakeroot = {
      ...fakeroot,
      content: { read: (file) => {
        const spec = FILES[file];
        return Buffer.isBuffer(spec) ? spec : Buffer.from(typeof spec === "string" ? spec : (spec as { exec: string }).exec);
      } },
    };
    expect(serializeNodeConfig(input, "master-0", memory)).toBe(serializeNodeConfig(input, "master-0", fakeroot));
  });

  it("reads each file once, as its turn comes: the first file is in the sink before the last one is read", () => {
    let written = 0;
    const readAt: number[] = [];
    const counting: Fakeroot = { ...fakeroot, content: { read: (file) => (readAt.push(written), fakeroot.content.read(file)) } };
    writeNodeConfig(input, "master-0", { write: (text) => void (written += text.length) }, counting);
    const treeFiles = fakeroot.sources.filter((s) => s.kind === "file").length; // all of them in "all"
    expect(readAt).toHaveLength(treeFiles);
    // /etc/blob.bin (266,672 base64 characters) is the first of the tree's files by path, /usr/local/bin/tool the
    // last: all but its tail (small writes are joined before they reach the sink) is written before that is read.
    expect(readAt.at(-1)! - readAt[0]).toBeGreaterThan(200_000);
  });
});

describe("writeNodeConfig errors", () => {
  const input = demoRenderInput();

  it("checks the merge and Ignition's rules before writing a byte", () => {
    const fakeroot = loadFakeroot(writeTree({ "all/etc/conf/a.conf": "x" }));
    const withLink = demoRenderInput((spec) => {
      spec.installerConfigs.master.storage = { links: [{ path: "/etc/conf", target: "/usr/etc" }] };
    });
    let written = 0;
    const error = thrownBy(() => writeNodeConfig(withLink, "master-0", { write: () => void written++ }, fakeroot));
    expect(error).toBeInstanceOf(InvalidGeneratedConfigError);
    expect((error as InvalidGeneratedConfigError).problems).toEqual([{ path: "/etc/conf/a.conf", template: "all/etc/conf/a.conf", message: "lies under the link /etc/conf" }]);
    expect(written).toBe(0);
    expect(serializeNodeConfig(input, "master-0", fakeroot)).toContain('"path":"/etc/conf/a.conf"');
  });

  it("names the template that fails while it is written, and a file gone since loading", () => {
    const broken = loadFakeroot(writeTree({ "all/etc/x.conf.hbs": "{{node.missing}}" }));
    const renderError = thrownBy(() => serializeNodeConfig(input, "master-0", broken));
    expect(renderError).toBeInstanceOf(TemplateError);
    expect((renderError as TemplateError).template).toBe("all/etc/x.conf.hbs");

    const root = writeTree({ "all/etc/gone": "x" });
    const gone = loadFakeroot(root);
    rmSync(path.join(root, "all/etc/gone"));
    const readError = thrownBy(() => serializeNodeConfig(input, "master-0", gone));
    expect(readError).toBeInstanceOf(TemplateError);
    expect((readError as TemplateError).message).toMatch(/^all\/etc\/gone: cannot be read: ENOENT/);
  });
});

describe("writeConfigFile", () => {
  const input = demoRenderInput();

  it("writes the streamed bytes owner-only, with their size and SHA-512 (what the bootstrap pointer checks)", () => {
    const dir = tempDir("config-file");
    try {
      const file = path.join(dir, "bootstrap.ign");
      const written = writeConfigFile(file, (sink) => writeNodeConfig(input, "bootstrap", sink));
      const bytes = readFileSync(file);
      expect(bytes.toString("utf8")).toBe(serializeNodeConfig(input, "bootstrap"));
      expect(written).toEqual({ bytes: bytes.length, sha512: sha512Hex(bytes) });
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(["bootstrap.ign"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves no file behind when the render fails midway", () => {
    const dir = tempDir("config-file");
    try {
      const file = path.join(dir, "bootstrap.ign");
      const failing = () =>
        writeConfigFile(file, (sink) => {
          sink.write('{"ignition":');
          throw new Error("template failed");
        });
      expect(failing).toThrow("template failed");
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("writeStableJson", () => {
  it("writes what the old stableStringify wrote, for any JSON value (200 cases)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stableStringify(value)).toBe(oracle(value));
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it("orders array-index keys numerically first, as JSON.stringify of a key-sorted object does", () => {
    const value = { b: 1, "10": 2, "9": 3, "01": 4, a: { "2": [undefined, () => 0], "1": undefined } };
    expect(stableStringify(value)).toBe(oracle(value));
    expect(stableStringify(value)).toBe('{"9":3,"10":2,"01":4,"a":{"2":[null,null]},"b":1}');
  });

  it("writes a StreamedString's pieces as one escaped JSON string, small tokens joined", () => {
    const pieces = ['say "hi"\n', "tab\there ", "café ☕ 𝄞", "\u0001"];
    class Pieces extends StreamedString {
      *pieces() {
        yield* pieces;
      }
    }
    const config: IgnitionConfig<unknown> = { ignition: { version: "3.2.0" }, storage: { files: [{ path: "/x", contents: { source: new Pieces() } }] } };
    const { text, writes } = collect((sink) => writeStableJson(config, sink));
    expect(text).toBe(oracle({ ignition: { version: "3.2.0" }, storage: { files: [{ path: "/x", contents: { source: pieces.join("") } }] } }));
    expect(writes).toBe(1);
  });
});
