"use client";

import { Alert } from "@patternfly/react-core";
import type { ClusterView, OperationView } from "@/lib/data";
import { counted } from "../words";

export interface PreflightProblem {
  group: string;
  field: string;
  message: string;
}

const GROUPS: Record<string, string> = {
  flavor: "Compute",
  image: "Compute",
  quota: "Quota",
  quotas: "Quota",
  networks: "Networks",
  extensions: "Neutron extensions",
  swift: "Swift",
};

/** The refusal of the create's preflight, one problem per field, from its error events (each is "field: message"). */
export function preflightProblems(view: ClusterView, op: OperationView | undefined): PreflightProblem[] {
  if (!op || op.kind !== "create" || op.steps.find((s) => s.name === "preflight")?.status !== "failed") return [];
  const since = new Date(op.createdAt).getTime();
  return view.events
    .filter((e) => e.step === "preflight" && e.level === "error" && new Date(e.at).getTime() >= since)
    .map((e) => {
      const cut = e.message.indexOf(": ");
      const field = cut > 0 ? e.message.slice(0, cut) : "spec";
      const head = field.split(/[.[]/)[0];
      return { group: GROUPS[head] ?? head, field, message: cut > 0 ? e.message.slice(cut + 2) : e.message };
    })
    .reverse();
}

/** Grouped, once: what preflight found that cannot work, and nothing was created. */
export function PreflightChecklist({ problems }: { problems: PreflightProblem[] }) {
  const groups = [...new Set(problems.map((p) => p.group))];
  return (
    <Alert variant="danger" isInline component="h2" title={`Preflight refused the create: ${counted(problems.length, "problem")}, nothing was created`} data-testid="preflight">
      {groups.map((g) => (
        <section key={g} aria-label={g}>
          <b>{g}</b>
          <ul>
            {problems
              .filter((p) => p.group === g)
              .map((p, i) => (
                <li key={i}>
                  <span aria-hidden>✗ </span>
                  <code>{p.field}</code>: {p.message}
                </li>
              ))}
          </ul>
        </section>
      ))}
      <p>Correct the spec and draft again, or fix the cloud (quota, image, flavor) and press Retry create.</p>
    </Alert>
  );
}
