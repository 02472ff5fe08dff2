"use client";

import { Card, CardBody, CardTitle, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm, Form, Grid, GridItem } from "@patternfly/react-core";
import { useState } from "react";
import type { FieldErrors, NetworkChoice, NetworkChoices, WizardDraft } from "@/lib/data";
import { NETWORK_LABELS, NETWORK_ROLES, type NetworkRole } from "@/lib/domain";
import { ErrorSummary, SelectField } from "./fields";
import { fieldLabel } from "./labels";
import { StepButtons, WizardShell } from "./shell";
import { shownOnArrival, useStepSave } from "./use-step";

type Picked = { network: string; subnet: string };
const rec = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const PURPOSE: Record<NetworkRole, string> = {
  outbound: "default route (ens3)",
  cluster: "interconnect and kubelet node IP (ens4)",
  management: "static routes (ens5)",
  public: "tenant, ingress and API traffic, the VIPs (ens6)",
};

/** Step 2: for each of the four networks, a network and a subnet picked from the cloud; the rest is read from them. */
export function NetworksStep({ draft, choices: read, cloudError, initialErrors }: { draft: WizardDraft; choices: NetworkChoices; cloudError?: string; initialErrors: FieldErrors }) {
  const choices = read.networks;
  const stored = rec(draft.draft.networks);
  // A network is stored by name when its name is unique in the cloud, else by id (the spec takes either).
  const refOf = (n: NetworkChoice) => (choices.filter((c) => c.name === n.name).length === 1 && n.name ? n.name : n.id);
  const findNet = (ref: unknown) => choices.find((n) => n.id === ref || n.name === ref);
  const [picked, setPicked] = useState<Record<NetworkRole, Picked>>(() =>
    Object.fromEntries(
      NETWORK_ROLES.map((role) => {
        const net = findNet(rec(stored[role]).network);
        const sub = net?.subnets.find((s) => s.id === rec(stored[role]).subnet || s.name === rec(stored[role]).subnet);
        return [role, { network: net?.id ?? "", subnet: sub?.id ?? "" }];
      }),
    ) as Record<NetworkRole, Picked>,
  );
  const { errors, message, pending, save } = useStepSave({ draftId: draft.id, projectId: draft.projectId, cloudId: draft.cloudId, step: "networks", initialErrors: shownOnArrival(initialErrors) });

  const values = () => ({
    networks: Object.fromEntries(
      NETWORK_ROLES.map((role) => {
        const net = choices.find((n) => n.id === picked[role].network);
        const sub = net?.subnets.find((s) => s.id === picked[role].subnet);
        const subRef = sub && (net!.subnets.filter((s) => s.name === sub.name).length === 1 && sub.name ? sub.name : sub.id);
        return [
          role,
          {
            network: net ? refOf(net) : null,
            subnet: subRef ?? null,
            cidr: sub?.cidr ?? null,
            gateway: sub?.gateway ?? null,
            allocationPools: sub ? sub.allocationPools : null,
            mtu: net?.mtu ?? null,
          },
        ];
      }),
    ),
  });

  const body = (
    <>
      <ErrorSummary errors={errors} labels={fieldLabel} message={message ?? cloudError} />
      <Form onSubmit={(e) => e.preventDefault()}>
        <Grid hasGutter>
          {NETWORK_ROLES.map((role) => {
            const net = choices.find((n) => n.id === picked[role].network);
            const sub = net?.subnets.find((s) => s.id === picked[role].subnet);
            const err = (f: string) => errors[`networks.${role}.${f}`];
            return (
              <GridItem md={6} key={role}>
                <Card isCompact data-testid={`network-${role}`}>
                  <CardTitle>
                    {NETWORK_LABELS[role]} network <span className="empty">— {PURPOSE[role]}</span>
                  </CardTitle>
                  <CardBody>
                    <SelectField
                      path={`networks.${role}.network`}
                      label={`${NETWORK_LABELS[role]} network`}
                      value={picked[role].network}
                      options={choices.map((n) => ({ value: n.id, label: `${n.name || n.id}${n.external ? " (external)" : ""}${n.shared ? " (shared)" : ""}` }))}
                      onChange={(v) => {
                        const subs = choices.find((n) => n.id === v)?.subnets ?? [];
                        setPicked({ ...picked, [role]: { network: v, subnet: subs.length === 1 ? subs[0].id : "" } });
                      }}
                      error={err("network")}
                    />
                    <SelectField
                      path={`networks.${role}.subnet`}
                      label={`${NETWORK_LABELS[role]} subnet`}
                      value={picked[role].subnet}
                      options={(net?.subnets ?? []).map((s) => ({ value: s.id, label: `${s.name || s.id} (${s.cidr})` }))}
                      onChange={(v) => setPicked({ ...picked, [role]: { ...picked[role], subnet: v } })}
                      error={err("subnet") ?? err("cidr") ?? err("gateway")}
                    />
                    {sub && (
                      <DescriptionList isCompact isHorizontal data-testid={`subnet-facts-${role}`}>
                        <DescriptionListGroup>
                          <DescriptionListTerm>CIDR</DescriptionListTerm>
                          <DescriptionListDescription>{sub.cidr}</DescriptionListDescription>
                        </DescriptionListGroup>
                        <DescriptionListGroup>
                          <DescriptionListTerm>Gateway</DescriptionListTerm>
                          <DescriptionListDescription>{sub.gateway ?? "none"}</DescriptionListDescription>
                        </DescriptionListGroup>
                        <DescriptionListGroup>
                          <DescriptionListTerm>DHCP pools</DescriptionListTerm>
                          <DescriptionListDescription>
                            {sub.allocationPools.map((p) => `${p.start}–${p.end}`).join(", ") || "none"}
                            {!sub.dhcp && " (DHCP off)"}
                          </DescriptionListDescription>
                        </DescriptionListGroup>
                        <DescriptionListGroup>
                          <DescriptionListTerm>MTU</DescriptionListTerm>
                          <DescriptionListDescription>{net?.mtu ?? "not shown by the cloud (1450 assumed)"}</DescriptionListDescription>
                        </DescriptionListGroup>
                        <DescriptionListGroup>
                          <DescriptionListTerm>Router</DescriptionListTerm>
                          <DescriptionListDescription>
                            {sub.router
                              ? `${sub.router.name}${sub.router.external ? ", with external gateway" : ""}; distributed: ${sub.router.distributed === null ? "not visible to this project" : sub.router.distributed ? "yes" : "no"}`
                              : read.routers
                                ? "no router on this subnet"
                                : "this cloud offers no routers (no L3 extension)"}
                          </DescriptionListDescription>
                        </DescriptionListGroup>
                      </DescriptionList>
                    )}
                  </CardBody>
                </Card>
              </GridItem>
            );
          })}
        </Grid>
      </Form>
    </>
  );
  const footer = <StepButtons draftId={draft.id} step="networks" pending={pending} save={(next, always) => save(values(), next, always)} />;
  return <WizardShell draftId={draft.id} step="networks" stepsWithErrors={draft.stepsWithErrors} body={body} footer={footer} />;
}
