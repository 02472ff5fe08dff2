"use client";

import { Card, CardBody, List, ListItem } from "@patternfly/react-core";
import { isLiveCluster, NODE_NAMES } from "@/lib/domain";
import type { ClusterView } from "@/lib/data";

/** What the viewer may take out of Tripod for this cluster (each download is authorized and audited on the server). */
export function Downloads({ view }: { view: ClusterView }) {
  const base = `/api/clusters/${view.id}/files`;
  const link = (href: string, text: string, testId: string) => (
    <a href={href} download data-testid={testId}>
      {text}
    </a>
  );
  // The configs name each port's MAC: they exist once the create's ports step recorded them.
  const portsRecorded = view.operations.some((o) => o.kind === "create" && o.steps.some((s) => s.name === "ports" && s.status === "succeeded"));
  const servers = view.otherResources.filter((r) => r.kind === "server" && r.status === "present").map((r) => NODE_NAMES.find((n) => r.name.endsWith(`-${n}`))!);
  return (
    <Card isCompact data-testid="downloads">
      <CardBody>
        <List isPlain>
          {view.hasKubeconfig && <ListItem>{link(`${base}/kubeconfig`, "Installer kubeconfig", "download-kubeconfig")}</ListItem>}
          {view.hasKubeadminPassword && <ListItem>{link(`${base}/kubeadmin-password`, "kubeadmin password", "download-kubeadmin-password")}</ListItem>}
          {portsRecorded && (
            <ListItem>
              Ignition, secrets redacted:{" "}
              {NODE_NAMES.map((n) => (
                <span key={n}>{link(`${base}/ignition?node=${n}`, n, `download-ignition-${n}`)} </span>
              ))}
            </ListItem>
          )}
          {portsRecorded && view.can.ignition && (
            <ListItem>
              Ignition, full (leads):{" "}
              {NODE_NAMES.map((n) => (
                <span key={n}>{link(`${base}/ignition?node=${n}&full=1`, n, `download-ignition-full-${n}`)} </span>
              ))}
            </ListItem>
          )}
          {view.status !== "draft" && <ListItem>{link(`${base}/inventory`, "Ansible inventory (ports, IPs, VIPs, security groups, servers)", "download-inventory")}</ListItem>}
          {isLiveCluster(view.status) && servers.length > 0 && (
            <ListItem>
              Console log:{" "}
              {[...servers].sort((a, b) => NODE_NAMES.indexOf(a) - NODE_NAMES.indexOf(b)).map((n) => (
                <span key={n}>{link(`${base}/console?node=${n}`, n, `download-console-${n}`)} </span>
              ))}
            </ListItem>
          )}
          <ListItem>{link(`${base}/log`, "Steps and events as text", "download-log")}</ListItem>
        </List>
        {!view.hasKubeconfig && !view.hasKubeadminPassword && <p className="empty">No installer kubeconfig or kubeadmin password was given with this cluster.</p>}
      </CardBody>
    </Card>
  );
}
