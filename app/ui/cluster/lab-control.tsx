"use client";

import { Alert, Button, Card, CardBody, CardTitle } from "@patternfly/react-core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import axios from "axios";
import { useState, useTransition } from "react";
import { labControlAction } from "@/app/(dashboard)/clusters/[id]/lab-actions";
import type { LabService, LabStatus } from "@/lib/data";
import { DataTable } from "../data-table";

const POLL_MS = 1000;
const SERVICE_LABELS: Record<LabService, string> = { keepalived: "keepalived", api: "API stand-in" };

/**
 * Demo only: the lab's namespaces that play this cluster's nodes, with a stop/start of keepalived or the API stand-in
 * per node to watch a fail-over in the VIP panel. The cluster page renders it only while the demo lab is on and for
 * an administrator; should the route still refuse (the lab stopped), the poll stops and nothing is shown. Nothing is
 * shown either while the lab plays none of the cluster's nodes (an empty list: the poll goes on, the nodes appear as
 * their servers boot).
 */
export function LabControl({ clusterId }: { clusterId: string }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();
  const key = ["cluster-lab", clusterId];
  const { data, isError } = useQuery({
    queryKey: key,
    queryFn: async () => (await axios.get<LabStatus>(`/api/clusters/${clusterId}/lab`)).data,
    retry: false,
    refetchInterval: (q) => (q.state.status === "error" ? false : POLL_MS),
  });
  // Gone (the lab stopped playing the cluster, or the viewer may not control it): nothing to show.
  if (isError || !data || data.nodes.length === 0) return null;

  const toggle = (node: LabStatus["nodes"][number], service: LabService) => {
    const running = node[service];
    return (
      <Button
        key={service}
        size="sm"
        variant={running ? "secondary" : "primary"}
        isDanger={running}
        isDisabled={pending}
        aria-label={`${running ? "Stop" : "Start"} ${SERVICE_LABELS[service]} on ${node.node}`}
        onClick={() =>
          startTransition(async () => {
            setMessage((await labControlAction(clusterId, node.node, service, running ? "stop" : "start")).message);
            await queryClient.invalidateQueries({ queryKey: key });
          })
        }
      >
        {running ? "Stop" : "Start"}
      </Button>
    );
  };

  return (
    <Card isCompact data-testid="lab-control">
      <CardTitle>Demo lab: the nodes are network namespaces</CardTitle>
      <CardBody>
        {message && <Alert variant="info" isInline isPlain component="p" title={message} />}
        <DataTable
          label="Demo lab nodes"
          columns={["Node", "keepalived", "API stand-in"]}
          rows={data.nodes.map((n) => ({
            key: n.node,
            testId: `lab-${n.node}`,
            cells: [n.node, <span key="k">{n.keepalived ? "running" : "stopped"} {toggle(n, "keepalived")}</span>, <span key="a">{n.api ? "running" : "stopped"} {toggle(n, "api")}</span>],
          }))}
        />
      </CardBody>
    </Card>
  );
}
