"use client";

import { Skeleton, Title } from "@patternfly/react-core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import axios from "axios";
import Link from "@/app/ui/link";
import { useRef, useState, useTransition } from "react";
import { isActiveOperation } from "@/lib/domain";
import type { ActionState, ClusterCloud, ClusterView } from "@/lib/data";
import { StateBanner } from "@/app/ui/cluster/banner";
import { Downloads } from "@/app/ui/cluster/downloads";
import { EventList } from "@/app/ui/cluster/events";
import { ClusterHeader } from "@/app/ui/cluster/header";
import { OperationSteps } from "@/app/ui/cluster/operation-steps";
import { OtherResources, PortsGrid } from "@/app/ui/cluster/ports";
import { LabControl } from "@/app/ui/cluster/lab-control";
import { PreflightChecklist, preflightProblems } from "@/app/ui/cluster/preflight";
import { listingOnScreen } from "@/app/ui/cluster/listing";
import { VipPanels } from "@/app/ui/cluster/vip-panels";
import { DriftTable } from "@/app/ui/drift";
import { useHydrated } from "@/app/ui/hydrated";

const POLL_MS = 1000;

/**
 * The cloud's listing: every second while one is on its way (neither the page nor the poll waits for it: past a few
 * seconds they answer the last one and ask the cloud again), then every 5 s while an operation runs, every 30 s
 * otherwise, never for a draft or a deleted cluster.
 */
function cloudPollInterval(view: ClusterView, cloud: ClusterCloud | undefined): number | false {
  if (cloud?.source === "pending") return POLL_MS;
  if (view.operations.some((o) => isActiveOperation(o.status))) return 5_000;
  return view.status === "deleted" || view.status === "draft" ? false : 30_000;
}

/**
 * The cluster page, kept current by polling its read model (every second until it is deleted) and, apart, the
 * cloud's listing of its ports and servers. `initialEtag` is the version of `initial`, as the poll tags it; `labControl`:
 * the demo lab's control is offered to this viewer (the lab is on and they may use it).
 */
export function ClusterLive({
  initial,
  initialEtag,
  initialCloud,
  labControl,
}: {
  initial: ClusterView;
  initialEtag: string;
  initialCloud: ClusterCloud;
  labControl: boolean;
}) {
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  // The version of the view on screen: every poll sends it, and an unchanged cluster answers 304 with no body — the
  // first poll too, since the page came with its tag.
  const held = useRef({ etag: initialEtag, view: initial });
  const { data: view } = useQuery({
    queryKey: ["cluster", initial.id],
    queryFn: async () => {
      const res = await axios.get<ClusterView>(`/api/clusters/${initial.id}`, {
        headers: { "If-None-Match": held.current.etag },
        validateStatus: (status) => status === 200 || status === 304,
      });
      if (res.status === 200) held.current = { etag: String(res.headers.etag), view: res.data };
      return held.current.view;
    },
    initialData: initial,
    // The view the page came with is as fresh as a poll's: the first poll comes a second after the page has started,
    // not at once (it would be a 304) — unless the page took longer than that to start.
    staleTime: POLL_MS,
    // Every second while the cluster can change; a deleted cluster changes no more and is not polled.
    refetchInterval: (q) => (q.state.data?.status === "deleted" ? false : POLL_MS),
  });
  const { data: cloud } = useQuery({
    queryKey: ["cluster-cloud", initial.id],
    queryFn: async () =>
      listingOnScreen(
        queryClient.getQueryData<ClusterCloud>(["cluster-cloud", initial.id]),
        (await axios.get<ClusterCloud>(`/api/clusters/${initial.id}/cloud`)).data,
      ),
    initialData: initialCloud,
    refetchInterval: (q) => cloudPollInterval(view, q.state.data),
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
      {hydrated ? <ClusterDetails view={view} cloud={cloud} events={events} labControl={labControl} /> : <Skeleton screenreaderText="Loading the VIPs, ports, resources and events" height="24rem" />}
    </>
  );
}

/**
 * The sections under the operation's steps: rendered in the browser, from the view the page came with (no request
 * of their own). On a full load the server sends the header and the state as HTML (the steps' table as a skeleton,
 * as every DataTable) and these as data: rendering their tables on the server was about half of what a load cost
 * above the dashboard's frame (issue 18), and the browser renders them for about what hydrating them would cost it.
 * A click to the page renders everything in the browser anyway.
 */
function ClusterDetails({ view, cloud, events, labControl }: { view: ClusterView; cloud: ClusterCloud; events: ClusterView["events"]; labControl: boolean }) {
  return (
    <>
      {view.vips && (
        <>
          <Title headingLevel="h2">keepalived VIPs</Title>
          <VipPanels view={view} panels={view.vips} />
          {labControl && <LabControl clusterId={view.id} />}
        </>
      )}
      <Title headingLevel="h2">Ports per network</Title>
      <PortsGrid cloud={cloud} />
      <Title headingLevel="h2">Other resources</Title>
      <OtherResources view={view} cloud={cloud} />
      {view.drift.length > 0 && (
        <>
          <Title headingLevel="h2">Drift</Title>
          <DriftTable rows={view.drift} />
        </>
      )}
      {view.can.download && (
        <>
          <Title headingLevel="h2">Downloads</Title>
          <Downloads view={view} />
        </>
      )}
      <Title headingLevel="h2">Events</Title>
      <EventList events={events} />
      <Link href={`/clusters/${view.id}/events`}>All events, by step and level</Link>
    </>
  );
}
