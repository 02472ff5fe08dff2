"use client";

import { Title } from "@patternfly/react-core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import axios from "axios";
import Link from "next/link";
import { useState, useTransition } from "react";
import type { ActionState, ClusterView } from "@/lib/data";
import { EventList } from "@/app/ui/cluster/events";
import { ClusterHeader } from "@/app/ui/cluster/header";
import { OperationSteps } from "@/app/ui/cluster/operation-steps";
import { OtherResources, PortsGrid } from "@/app/ui/cluster/ports";
import { LabControl } from "@/app/ui/cluster/lab-control";
import { VipPanels } from "@/app/ui/cluster/vip-panels";
import { DriftTable } from "@/app/ui/drift";

const POLL_MS = 1000;

/** The cluster page, kept current by polling its read model: every second until it is deleted. */
export function ClusterLive({ initial }: { initial: ClusterView }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const { data: view } = useQuery({
    queryKey: ["cluster", initial.id],
    queryFn: async () => (await axios.get<ClusterView>(`/api/clusters/${initial.id}`)).data,
    initialData: initial,
    // Every second: an unchanged poll is a 304 (the browser revalidates its copy with the ETag). A deleted cluster
    // changes no more and is not polled.
    refetchInterval: (q) => (q.state.data?.status === "deleted" ? false : POLL_MS),
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
          <LabControl clusterId={view.id} />
        </>
      )}
      <Title headingLevel="h2">Ports per network</Title>
      <PortsGrid view={view} />
      <Title headingLevel="h2">Other resources</Title>
      <OtherResources view={view} />
      {view.drift.length > 0 && (
        <>
          <Title headingLevel="h2">Drift</Title>
          <DriftTable rows={view.drift} />
        </>
      )}
      <Title headingLevel="h2">Events</Title>
      <EventList events={view.events} />
      <Link href={`/clusters/${view.id}/events`}>All events</Link>
    </>
  );
}
