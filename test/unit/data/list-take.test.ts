import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every list query of the read models (a `findMany` under lib/data) is bounded: its arguments carry `take`, or the
// page window (`...window(req)`) that sets it. An unbounded findMany is how a page's cost grows with the clusters.

const ROOT = path.resolve(__dirname, "../../..");

/** Bounded by something other than `take`, with the reason. */
const ALLOWED: Record<string, string> = {
  "lib/data/clusters.ts:vrrpIdAllocation": "router ids of one Public network: at most 255 rows (unique index)",
  "lib/data/api-tokens.ts:apiToken": "the signed-in user's own tokens",
  "lib/data/projects.ts:membership": "one project's members (its page)",
  "lib/data/projects.ts:cloud": "one project's clouds (its page)",
  "lib/data/signin.ts:project": "the Tripod projects of the OpenStack projects one Keystone user has a role in",
  // Known debt: one row per cloud that admits Keystone sign-in (read at each Keystone sign-in) and per registered
  // cloud on the Admin page's Keystone sign-in table; neither is paged yet.
  "lib/data/signin.ts:cloud": "clouds that admit Keystone sign-in (known debt, see above)",
  "lib/data/directory.ts:cloud": "the Admin page's Keystone sign-in table (known debt, see above)",
  // Known debt, not a page: the Prometheus scrape reads every finished step and every live cluster's VIP health
  // (lib/data/metrics.ts); it should read ClusterHealth and aggregate in SQL instead.
  "lib/data/metrics.ts:step": "metrics scrape (known debt, see above)",
  "lib/data/metrics.ts:cluster": "metrics scrape (known debt, see above)",
};

/** findMany calls without a bound, as "file:model" (e.g. "lib/data/x.ts:cluster"). */
function unboundedFindMany(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const bounded = (arg: ts.Expression | undefined) =>
    !!arg &&
    ts.isObjectLiteralExpression(arg) &&
    arg.properties.some(
      (p) =>
        (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name.getText(sf) === "take" ||
        (ts.isSpreadAssignment(p) && ts.isCallExpression(p.expression) && p.expression.expression.getText(sf) === "window"),
    );
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "findMany") {
      const model = ts.isPropertyAccessExpression(node.expression.expression) ? node.expression.expression.name.text : node.expression.expression.getText(sf);
      if (!bounded(node.arguments[0])) out.push(`${file}:${model}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe("list queries are bounded", () => {
  it("finds an unbounded findMany (the check itself)", () => {
    expect(unboundedFindMany("x.ts", "db.cluster.findMany({ where: { a: 1 } }); db.event.findMany({ take: 5 }); db.user.findMany({ ...window(req) });")).toEqual(["x.ts:cluster"]);
    expect(unboundedFindMany("x.ts", "db.project.findMany();")).toEqual(["x.ts:project"]);
  });

  it("every findMany under lib/data has a take (or a page window)", () => {
    const files = readdirSync(path.join(ROOT, "lib/data")).filter((f) => f.endsWith(".ts")).map((f) => `lib/data/${f}`);
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((f) => unboundedFindMany(f, readFileSync(path.join(ROOT, f), "utf8")));
    expect(found.filter((f) => !(f in ALLOWED))).toEqual([]);
  });
});
