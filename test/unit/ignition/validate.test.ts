import { describe, expect, it } from "vitest";
import { validateGeneratedConfig } from "@/lib/ignition";

describe("validateGeneratedConfig", () => {
  it("reports Ignition's rules with the config path and, through the translation set, the template", () => {
    const problems = validateGeneratedConfig(
      {
        ignition: { version: "3.2.0" },
        storage: {
          files: [
            { path: "/etc/a", mode: 0o10000, contents: { source: "data:text/plain;base64,YQ==" } },
            { path: "etc/relative" },
            { path: "/etc/./dot" },
          ],
          links: [{ path: "/etc/a", target: "/etc/b" }],
        },
      },
      new Map([["storage.files.0", "all/etc/a.hbs"]]),
    );
    expect(problems).toEqual([
      { path: "storage.files.0", message: "illegal file mode", template: "all/etc/a.hbs" },
      { path: "storage.files.1", message: "path not absolute", template: undefined },
      { path: "storage.files.2", message: expect.stringMatching(/not canonical/), template: undefined },
      { path: "storage.links.0", message: "duplicate entry defined: /etc/a is also storage.files.0", template: undefined },
    ]);
  });
});
