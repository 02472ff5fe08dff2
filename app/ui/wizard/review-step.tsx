"use client";

import { Alert, Button, ExpandableSection, List, ListItem, Title } from "@patternfly/react-core";
import { useRouter } from "next/navigation";
import type { Review, WizardDraft } from "@/lib/data";
import { DataTable } from "../data-table";
import { StatusLabel } from "../status-label";
import { alertTitle } from "../title";
import { counted } from "../words";
import { StepButtons, stepHref, WizardShell } from "./shell";

const amount = (n: number) => (Number.isFinite(n) ? String(n) : "unlimited");

/**
 * Step 6: what will be made, before anything is: every port (node, network, NIC, fixed IP, name), the VIP ports
 * with their addresses and allowed-address pairs, the security-group rules, the quota it takes against what is
 * free, and a real preflight run against the cloud as a checklist grouped by step.
 */
export function ReviewStep({ draft, review, cloudError }: { draft: WizardDraft; review: Review | null; cloudError?: string }) {
  const router = useRouter();
  const problems = review ? review.preflight.reduce((n, g) => n + g.problems.length, 0) : 0;
  const body = !review ? (
    <Alert
      variant="warning"
      isInline
      component={alertTitle(2, !cloudError)}
      title={cloudError ?? "The draft is not complete yet: the steps marked with an error need attention first."}
      data-testid="review-incomplete"
    >
      {!cloudError && (
        <List>
          {draft.stepsWithErrors.map((s) => (
            <ListItem key={s}>
              <a href={stepHref(draft.id, s)}>{s}</a>
            </ListItem>
          ))}
        </List>
      )}
    </Alert>
  ) : (
    <>
      <Title headingLevel="h2">Preflight against the cloud</Title>
      <div data-testid="preflight">
        {review.preflight.map((group) => (
          <div key={group.step} data-testid={`preflight-${group.step}`} style={{ marginBottom: "0.5rem" }}>
            <StatusLabel status={group.problems.length === 0 ? "succeeded" : "failed"} text={group.problems.length === 0 ? "ok" : counted(group.problems.length, "problem")} />{" "}
            <b>{group.label}</b>
            {group.problems.length > 0 && (
              <List>
                {group.problems.map((p) => (
                  <ListItem key={`${p.path}${p.message}`}>
                    <a href={stepHref(draft.id, group.step)}>{p.path}</a>: {p.message}
                  </ListItem>
                ))}
              </List>
            )}
          </div>
        ))}
        <p className="empty" data-testid="preflight-summary">
          {problems === 0 ? "Preflight passed: every check above holds in the cloud now." : `Preflight found ${counted(problems, "problem")}; the create would stop at preflight.`}
        </p>
      </div>
      <Title headingLevel="h2">Quota</Title>
      <DataTable
        label="Quota"
        testId="quota"
        columns={["Quota", "Cluster needs", "Used", "Limit", "Free"]}
        rows={review.quotas.map((q) => ({ key: q.key, cells: [q.label, q.need, q.used, q.limit < 0 ? "unlimited" : q.limit, amount(q.free)] }))}
      />
      <Title headingLevel="h2">Ports</Title>
      <DataTable
        label="Planned ports"
        testId="review-ports"
        columns={["Node", "Network", "NIC", "Fixed IP", "Name"]}
        rows={review.ports.map((p) => ({ key: p.name, cells: [p.node, `${p.role} (${p.network})`, p.nic, p.fixedIp, <code key="n">{p.name}</code>] }))}
      />
      <Title headingLevel="h2">VIP ports</Title>
      <DataTable
        label="VIP ports"
        testId="review-vip-ports"
        columns={["VIP", "Address", "Network", "Name", "Held by keepalived on"]}
        rows={review.vipPorts.map((p) => ({
          key: p.name,
          cells: [
            p.vip,
            p.fixedIp,
            `${p.role} (${p.network})`,
            <code key="n">{p.name}</code>,
            `the masters' ${p.role} ports, as allowed-address pairs (${counted(review.ports.filter((n) => n.allowedAddressPairs.includes(p.fixedIp)).length, "port")})`,
          ],
        }))}
      />
      <p className="empty">
        VRRP router ids: API {review.vrrp?.api ?? "–"}, Ingress {review.vrrp?.ingress ?? "–"} (unique on the Public network among Tripod&apos;s clusters)
        {review.vrrp?.apiInt !== undefined && `, internal API ${review.vrrp.apiInt} (unique on the Cluster network)`}.
      </p>
      <Title headingLevel="h2">Security groups</Title>
      {review.securityGroups.map((g) => (
        <ExpandableSection key={g.name} toggleText={`${g.name} (${g.network}, ${counted(g.rules.length, "rule")})`}>
          <DataTable
            label={`Rules of ${g.name}`}
            columns={["Protocol", "Ports", "From", "What"]}
            rows={g.rules.map((r, i) => ({ key: String(i), cells: [r.protocol, r.ports, r.from, r.description] }))}
          />
        </ExpandableSection>
      ))}
    </>
  );
  const footer = (
    <StepButtons
      draftId={draft.id}
      step="review"
      extra={
        <Button variant="secondary" onClick={() => router.refresh()}>
          Run preflight again
        </Button>
      }
    />
  );
  return <WizardShell draftId={draft.id} step="review" stepsWithErrors={draft.stepsWithErrors} body={body} footer={footer} />;
}
