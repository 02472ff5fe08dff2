import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { nodeSentence, VipPanels } from "@/app/ui/cluster/vip-panels";
import type { ClusterView } from "@/lib/data";
import { clusterVipHealth, type VipHealthInput } from "@/lib/vip/health";
import { vipPanel } from "@/lib/vip/panel";
import { API, INGRESS, NODES, at, settled } from "../vip/fixtures";

// The cluster page's VIP panel as text (app/ui/cluster/vip-panels.tsx), rendered from lib/vip's own health values:
// each fact said once, in words that match what the nodes did.

/** A ready cluster whose masters were created at T0, long past the first report's grace. */
const view = { status: "ready", operations: [{ kind: "create", steps: [{ name: "control-plane", finishedAt: at(0).toISOString() }] }] } as unknown as ClusterView;

function panelText(over: Partial<VipHealthInput> & Pick<VipHealthInput, "now">, of: ClusterView = view): string {
  const panels = clusterVipHealth({ vips: [API, INGRESS], nodes: NODES, transitions: [], reports: [], ...over }).map((h) => vipPanel(h));
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
    expect(nodeSentence(silentNode, { windowFrom: at(-3000).toISOString(), coversBoot: true })).toBe("has never reported");
    expect(text).not.toContain("for a while");
  });

  it("gives the date and time a silent node last reported, and names the holder it last knew", () => {
    const text = panelText({ ...settled(20), now: at(600) });
    expect(text).toContain(`m0 (last known; it went silent) holds ${API.address}.`);
    expect(text).toContain("API VIP held by m0 (last known); Ingress VIP held by m0 (last known).");
    expect(count(text, "m1 has not reported since 2026-11-25 12:00:20 UTC.")).toBe(2);
    expect(text).not.toContain("has never reported");
  });

  it("does not say 'never' of nodes whose last report is older than the panel's hour, which it does not read", () => {
    const text = panelText({ now: at(7200) });
    expect(count(text, "No node has reported since before 2026-11-25 13:00:00 UTC: the VIP agents cannot reach Tripod")).toBe(1);
    for (const node of NODES) expect(text).not.toContain(`${node} has not reported`);
    expect(nodeSentence(silentNode, { windowFrom: at(3600).toISOString(), coversBoot: false })).toBe("has not reported since before 2026-11-25 13:00:00 UTC");
    expect(text).not.toContain("never");
  });

  it("waits for a first report while a create has yet to make the masters, and not after it stopped before them", () => {
    const create = (status: string) =>
      ({ status: "creating", operations: [{ kind: "create", status, steps: [{ name: "control-plane", finishedAt: null }] }] }) as unknown as ClusterView;
    expect(panelText({ now: at(600) }, create("running"))).toContain("Waiting for the first report from the nodes' VIP agents.");
    const stopped = panelText({ now: at(600) }, create("failed"));
    expect(stopped).not.toContain("Waiting");
    expect(stopped).toContain("No node has reported since before 2026-11-25 11:10:00 UTC");
  });

  it("has a legend that names each state once", () => {
    const text = panelText({ ...settled(20), now: at(21) });
    expect(text).toContain("MASTER — holds the VIP");
    expect(text).toMatch(/\nno report\n/);
    expect(text).not.toContain("no report — no report");
  });
});
