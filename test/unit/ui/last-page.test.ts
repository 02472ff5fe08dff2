import { describe, expect, it } from "vitest";
import { lastPageAddress } from "@/app/ui/last-page";

describe("a list's address past its last page", () => {
  it("goes to the last page, keeping the rest of the address", () => {
    expect(lastPageAddress("/clusters", { page: "999", size: "20", status: "ready", q: undefined }, [{ info: { page: 999, pages: 40 } }])).toBe("/clusters?page=40&size=20&status=ready");
    // nothing matches: the first page; a filter given twice stays as it was given (the page names it as refused)
    expect(lastPageAddress("/audit", { page: "3", outcome: ["denied", "allowed"] }, [{ info: { page: 3, pages: 1 } }])).toBe("/audit?page=1&outcome=denied&outcome=allowed");
  });

  it("moves each list of a page with several by its own prefix, and only those past their last", () => {
    const lists = [
      { info: { page: 9, pages: 2 }, prefix: "users." },
      { info: { page: 2, pages: 3 }, prefix: "projects." },
    ];
    expect(lastPageAddress("/admin", { "users.page": "9", "projects.page": "2" }, lists)).toBe("/admin?users.page=2&projects.page=2");
  });

  it("leaves an address within every list's pages alone", () => {
    expect(lastPageAddress("/clusters", { page: "40" }, [{ info: { page: 40, pages: 40 } }])).toBeNull();
    expect(lastPageAddress("/clusters", {}, [{ info: { page: 1, pages: 1 } }])).toBeNull();
  });
});
