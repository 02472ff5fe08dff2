import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { nodeSentence, vipHealthLine, VipPanels } from "@/app/ui/cluster/vip-panels";
import type { ClusterView } from "@/lib/data";
import { clusterVipHealth, type VipHealthInput } from "@/lib/vip/health";
import { vipPanel } from "@/lib/vip/panel";
import { API, INGRESS, NODES, at, settled } from "../vip/fixtures";

// The cluster page's VIP panel as text (app/ui/cluster/vip-panels.tsx), rendered from lib/vip's own health values:
// each fact said once, in words that match what the nodes did.

/** A ready cluster whose masters were created at T0, long past the first report's grace. */
const view = { status: "ready", operations: [{ kind: "create", steps: [{ name: "control-plane", finishedAt: at(0).toISOString() }] }] } as unknown as ClusterView;

const panelsOf = (over: Partial<VipHealthInput> & Pick<VipHealthInput, "now">) =>
  clusterVipHealth({ vips: [API, INGRESS], nodes: NODES, transitions: [], reports: [], ...over }).map((h) => vipPanel(h));

function panelText(over: Partial<VipHealthInput> & Pick<VipHealthInput, "now">, of: ClusterView = view): string {
  const panels = panelsOf(over);
  return renderToStaticMarkup(createElement(VipPanels, { view: of, panels }))
    .replace(/<[^>]+>/g, "\n")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n");
}

const count = (text: string, part: string) => text.split(part).length - 1;

/** A node of a panel that has no report in the panel's window. */
const silentNode = { node: "m0", state: "unknown", since: null, lastReportAt: null, silent: true } as unknown as Parameters<typeof nodeSentence>[0];

describe("the VIP panel", () => {
  it("says once per VIP that no node holds it, and once for all that no node ever reported", () => {
    const text = panelText({ now: at(600) });
    expect(count(text, `No node holds ${API.address}: clients cannot reach it.`)).toBe(1);
    expect(count(text, `No node holds ${INGRESS.address}: clients cannot reach it.`)).toBe(1);
    expect(text).not.toContain("No node holds the VIP");
    expect(count(text, "No node has reported since the masters were created at 2026-11-25 12:00:00 UTC")).toBe(1);
    // not again per node under each VIP: each node's row of the table says it
    for (const node of NODES) expect(text).not.toContain(`${node} has never reported`);
    expect(nodeSentence(silentNode, { coversBoot: true })).toBe("has never reported");
    expect(text).not.toContain("for a while");
  });

  it("when every node went silent, says once since when and names the holders it last knew", () => {
    const text = panelText({ ...settled(20), now: at(600) });
    expect(count(text, "No node has reported since 2026-11-25 12:00:20 UTC: the VIP agents cannot reach Tripod, or keepalived is not running.")).toBe(1);
    expect(text).toContain("API VIP held by m0 (last known); Ingress VIP held by m0 (last known).");
    expect(text).toContain(`m0 (last known; it went silent) holds ${API.address}.`);
    for (const node of NODES) expect(text).not.toContain(`${node} has not reported`);
    expect(text).not.toContain("has never reported");
  });

  it("names a node that went silent while the others report, under each VIP", () => {
    const { transitions, reports } = settled(20);
    const later = settled(590).reports.filter((r) => r.node !== "m1");
    const text = panelText({ transitions, reports: [...reports, ...later], now: at(600) });
    expect(text).toContain("API VIP held by m0; Ingress VIP held by m0.");
    expect(count(text, "m1 has not reported since 2026-11-25 12:00:20 UTC.")).toBe(2);
    expect(text).not.toContain("No node has reported");
  });

  it("says in each node's row what it holds, or was last known in once it went silent", () => {
    const row = (s: number, node: string) => nodeSentence(panelsOf({ ...settled(s), now: at(600) })[0].nodes.find((n) => n.node === node)!, { coversBoot: true });
    expect(row(590, "m0")).toBe("holds the VIP since 2026-11-25 12:00:01 UTC");
    expect(row(590, "m1")).toBe("is BACKUP since 2026-11-25 12:00:01 UTC");
    expect(row(20, "m0")).toBe("silent; last known MASTER, since 2026-11-25 12:00:01 UTC");
    expect(row(20, "m1")).toBe("silent; last known BACKUP, since 2026-11-25 12:00:01 UTC");
  });

  it("does not say 'never' of older masters whose nodes have no report on record", () => {
    const text = panelText({ now: at(7200) });
    expect(count(text, "No report from any node is on record: the VIP agents cannot reach Tripod, or keepalived is not running.")).toBe(1);
    for (const node of NODES) expect(text).not.toContain(`${node} has`);
    expect(nodeSentence(silentNode, { coversBoot: false })).toBe("has no report on record");
    expect(text).not.toContain("never");
  });

  it("waits for a first report while a create has yet to make the masters, and not after it stopped before them", () => {
    const create = (status: string) =>
      ({ status: "creating", operations: [{ kind: "create", status, steps: [{ name: "control-plane", finishedAt: null }] }] }) as unknown as ClusterView;
    expect(panelText({ now: at(600) }, create("running"))).toContain("Waiting for the first report from the nodes' VIP agents.");
    const stopped = panelText({ now: at(600) }, create("failed"));
    expect(stopped).not.toContain("Waiting");
    expect(stopped).toContain("No report from any node is on record");
  });

  it("gives the line the status of the worst VIP's card, whatever the cluster's status", () => {
    const failed = { ...view, status: "failed" } as ClusterView;
    for (const of of [view, failed]) {
      const panels = panelsOf({ now: at(600) });
      expect(panels.map((p) => p.status)).toEqual(["down", "down"]);
      expect(vipHealthLine(of, panels, at(600).getTime()).status).toBe("down");
    }
  });

  it("has a legend that names each state once", () => {
    const text = panelText({ ...settled(20), now: at(21) });
    expect(text).toContain("MASTER — holds the VIP");
    expect(text).toMatch(/\nno report\n/);
    expect(text).not.toContain("no report — no report");
  });
});
