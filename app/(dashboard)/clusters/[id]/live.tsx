"use client";

import { Title } from "@patternfly/react-core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import axios from "axios";
import { useState, useTransition } from "react";
import { isActiveOperation } from "@/lib/domain";
import type { ActionState, ClusterCloud, ClusterView } from "@/lib/data";
import { StateBanner } from "@/app/ui/cluster/banner";
import { Downloads } from "@/app/ui/cluster/downloads";
import { EventList } from "@/app/ui/cluster/events";
import { ClusterHeader } from "@/app/ui/cluster/header";
import { OperationSteps } from "@/app/ui/cluster/operation-steps";
import { OtherResources, PortsGrid } from "@/app/ui/cluster/ports";
import { PreflightChecklist, preflightProblems } from "@/app/ui/cluster/preflight";
import { VipPanels } from "@/app/ui/cluster/vip-panels";

/** How often to poll: fast while something runs, slowly otherwise, never once the cluster is deleted. */
function pollInterval(view: ClusterView | undefined, running: number, idle: number): number | false {
  if (!view) return idle;
  if (view.operations.some((o) => isActiveOperation(o.status))) return running;
  return view.status === "deleted" ? false : idle;
}

/** The cluster page, kept current by polling its read model and the cloud's listing of its ports and servers. */
export function ClusterLive({ initial, initialCloud }: { initial: ClusterView; initialCloud: ClusterCloud }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const { data: view } = useQuery({
    queryKey: ["cluster", initial.id],
    queryFn: async () => (await axios.get<ClusterView>(`/api/clusters/${initial.id}`)).data,
    initialData: initial,
    refetchInterval: (q) => pollInterval(q.state.data, 1500, 10_000),
  });
  const { data: cloud } = useQuery({
    queryKey: ["cluster-cloud", initial.id],
    queryFn: async () => (await axios.get<ClusterCloud>(`/api/clusters/${initial.id}/cloud`)).data,
    initialData: initialCloud,
    refetchInterval: () => pollInterval(view, 5_000, 30_000),
  });

  function run(act: () => Promise<ActionState>) {
    startTransition(async () => {
      const result = await act();
      setMessage(result.message);
      await queryClient.invalidateQueries({ queryKey: ["cluster", initial.id] });
      await queryClient.invalidateQueries({ queryKey: ["cluster-cloud", initial.id] });
    });
  }

  const lastCreate = view.operations.find((o) => o.kind === "create");
  const preflight = preflightProblems(view, lastCreate);
  const events = preflight.length ? view.events.filter((e) => !(e.step === "preflight" && e.level === "error")) : view.events;
  return (
    <>
      <ClusterHeader view={view} pending={pending} run={run} message={message} />
      <StateBanner view={view} cloud={cloud} />
      {preflight.length > 0 && <PreflightChecklist problems={preflight} />}
      {view.operations.slice(0, 2).map((op) => (
        <OperationSteps key={op.id} op={op} preflightShown={preflight.length > 0 && op.id === lastCreate?.id} />
      ))}
      {view.vips && (
        <>
          <Title headingLevel="h2">keepalived VIPs</Title>
          <VipPanels view={view} panels={view.vips} />
        </>
      )}
      <Title headingLevel="h2">Ports per network</Title>
      <PortsGrid cloud={cloud} />
      <Title headingLevel="h2">Other resources</Title>
      <OtherResources view={view} cloud={cloud} />
      {view.can.download && (
        <>
          <Title headingLevel="h2">Downloads</Title>
          <Downloads view={view} />
        </>
      )}
      <Title headingLevel="h2">Events</Title>
      <EventList events={events} />
    </>
  );
}
