"use client";

import { ExpandableSection, Form, FormGroup, Grid, GridItem, TextInput, Title } from "@patternfly/react-core";
import { useState } from "react";
import type { AddressFacts, FieldErrors, WizardDraft } from "@/lib/data";
import { NETWORK_LABELS, NETWORK_ROLES, NODE_KEYS, NODE_NAME_OF, type NetworkRole, type NodeKey } from "@/lib/domain";
import { ErrorSummary, fieldId, TextField } from "./fields";
import { fieldLabel } from "./labels";
import { StepButtons, WizardShell } from "./shell";
import { shownOnArrival, useStepSave } from "./use-step";

const rec = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");

type Ips = Record<NetworkRole, Record<NodeKey, string>>;

/**
 * Step 3: every node's address on every network and the two VIPs. Empty fields are filled with free addresses
 * outside the DHCP pools that no port holds; every change is saved and checked at once (subnet, pools, ports in use).
 */
export function AddressesStep({ draft, facts, cloudError, initialErrors }: { draft: WizardDraft; facts: AddressFacts | null; cloudError?: string; initialErrors: FieldErrors }) {
  const nets = rec(draft.draft.networks);
  const [ips, setIps] = useState<Ips>(
    () =>
      Object.fromEntries(
        NETWORK_ROLES.map((role) => [
          role,
          Object.fromEntries(NODE_KEYS.map((key) => [key, str(rec(rec(nets[role]).ips)[key]) || (facts?.suggested.ips[role][key] ?? "")])),
        ]),
      ) as Ips,
  );
  const pub = rec(nets.public);
  const [apiVip, setApiVip] = useState(str(pub.apiVip) || (facts?.suggested.vips[0] ?? ""));
  const [ingressVip, setIngressVip] = useState(str(pub.ingressVip) || (facts?.suggested.vips[1] ?? ""));
  const clusterNet = rec(nets.cluster);
  // Optional: an empty field saves none (then api-int resolves to the API VIP, as the installer's default).
  const [apiIntVip, setApiIntVip] = useState(str(clusterNet.apiIntVip) || (facts?.suggested.apiIntVip ?? ""));
  const { errors, message, pending, save } = useStepSave({
    draftId: draft.id,
    projectId: draft.projectId,
    cloudId: draft.cloudId,
    step: "addresses",
    initialErrors: { ...shownOnArrival(initialErrors), ...(facts?.conflicts ?? {}) },
  });
  const values = () => {
    const vipsOf: Partial<Record<NetworkRole, Record<string, string>>> = {
      public: { apiVip: apiVip.trim(), ingressVip: ingressVip.trim() },
      cluster: { apiIntVip: apiIntVip.trim() },
    };
    return { networks: Object.fromEntries(NETWORK_ROLES.map((role) => [role, { ips: ips[role], ...vipsOf[role] }])) };
  };
  const check = () => save(values());

  const body = (
    <>
      <ErrorSummary errors={errors} labels={fieldLabel} message={message ?? cloudError} />
      <Form onSubmit={(e) => e.preventDefault()}>
        <Title headingLevel="h2">Virtual IPs (Public network {str(pub.cidr)})</Title>
        <Grid hasGutter>
          <GridItem md={6}>
            <TextField path="networks.public.apiVip" label="API VIP" value={apiVip} onChange={setApiVip} onBlur={check} error={errors["networks.public.apiVip"]} isRequired hint="outside the DHCP pools; keepalived moves it between the masters" />
          </GridItem>
          <GridItem md={6}>
            <TextField path="networks.public.ingressVip" label="Ingress VIP" value={ingressVip} onChange={setIngressVip} onBlur={check} error={errors["networks.public.ingressVip"]} isRequired />
          </GridItem>
        </Grid>
        <Title headingLevel="h2">Internal API VIP (Cluster network {str(clusterNet.cidr)})</Title>
        <Grid hasGutter>
          <GridItem md={6}>
            <TextField
              path="networks.cluster.apiIntVip"
              label="Internal API VIP (api-int)"
              value={apiIntVip}
              onChange={setApiIntVip}
              onBlur={check}
              error={errors["networks.cluster.apiIntVip"]}
              hint="optional; outside the DHCP pools; keepalived holds it on the Cluster network for api-int (empty: api-int is the API VIP)"
            />
          </GridItem>
        </Grid>
        <Title headingLevel="h2">Node addresses</Title>
        <Grid hasGutter>
          {NETWORK_ROLES.map((role) => {
            const net = rec(nets[role]);
            const pools = Array.isArray(net.allocationPools) ? (net.allocationPools as { start: string; end: string }[]) : [];
            return (
              <GridItem md={6} key={role}>
                <Title headingLevel="h3">
                  {NETWORK_LABELS[role]} {str(net.cidr)}
                </Title>
                <p className="empty">DHCP pools: {pools.map((p) => `${p.start}–${p.end}`).join(", ") || "none"}</p>
                {NODE_KEYS.map((key) => {
                  const path = `networks.${role}.ips.${key}`;
                  const error = errors[path] ?? (key === "bootstrap" ? errors[`networks.${role}.ips`] : undefined);
                  return (
                    <FormGroup key={key} label={`${NODE_NAME_OF[key]} on ${NETWORK_LABELS[role]}`} fieldId={fieldId(path)}>
                      <TextInput
                        id={fieldId(path)}
                        value={ips[role][key]}
                        validated={error ? "error" : "default"}
                        onChange={(_e, v) => setIps({ ...ips, [role]: { ...ips[role], [key]: v } })}
                        onBlur={check}
                      />
                      {error && (
                        <p className="field-error" data-testid={`error-${path}`}>
                          {error}
                        </p>
                      )}
                    </FormGroup>
                  );
                })}
                {facts && facts.inUse[role].length > 0 && (
                  <ExpandableSection toggleText={`${facts.inUse[role].length} address(es) already in use on this network`}>
                    <ul>
                      {facts.inUse[role].map((u) => (
                        <li key={`${u.ip}-${u.holder}`}>
                          {u.ip} — {u.holder}
                        </li>
                      ))}
                    </ul>
                  </ExpandableSection>
                )}
              </GridItem>
            );
          })}
        </Grid>
      </Form>
    </>
  );
  const footer = <StepButtons draftId={draft.id} step="addresses" pending={pending} save={(next, always) => save(values(), next, always)} />;
  return <WizardShell draftId={draft.id} step="addresses" stepsWithErrors={draft.stepsWithErrors} body={body} footer={footer} />;
}
