"use client";

import { Title } from "@patternfly/react-core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import axios from "axios";
import { useState, useTransition } from "react";
import { isActiveOperation } from "@/lib/domain";
import type { ActionState, ClusterView } from "@/lib/data";
import { EventList } from "@/app/ui/cluster/events";
import { ClusterHeader } from "@/app/ui/cluster/header";
import { OperationSteps } from "@/app/ui/cluster/operation-steps";
import { OtherResources, PortsGrid } from "@/app/ui/cluster/ports";
import { VipPanels } from "@/app/ui/cluster/vip-panels";

/** The cluster page, kept current by polling its read model: fast while something runs, slow otherwise. */
export function ClusterLive({ initial }: { initial: ClusterView }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const { data: view } = useQuery({
    queryKey: ["cluster", initial.id],
    queryFn: async () => (await axios.get<ClusterView>(`/api/clusters/${initial.id}`)).data,
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.operations.some((o) => isActiveOperation(o.status)) ? 1500 : 10_000),
  });

  function run(act: () => Promise<ActionState>) {
    startTransition(async () => {
      const result = await act();
      setMessage(result.message);
      await queryClient.invalidateQueries({ queryKey: ["cluster", initial.id] });
    });
  }

  return (
    <>
      <ClusterHeader view={view} pending={pending} run={run} message={message} />
      {view.operations.slice(0, 2).map((op) => (
        <OperationSteps key={op.id} op={op} />
      ))}
      {view.vips && (
        <>
          <Title headingLevel="h2">keepalived VIPs</Title>
          <VipPanels panels={view.vips} />
        </>
      )}
      <Title headingLevel="h2">Ports per network</Title>
      <PortsGrid view={view} />
      <Title headingLevel="h2">Other resources</Title>
      <OtherResources view={view} />
      <Title headingLevel="h2">Events</Title>
      <EventList events={view.events} />
    </>
  );
}
