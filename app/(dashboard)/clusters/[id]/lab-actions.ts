"use server";

// The demo lab's control (demo only): thin — lib/data checks session, input, policy (admins) and that the lab is on.
import type { NodeName } from "@/lib/domain";
import { labControlCommand, runCommand, type ActionState, type LabAction, type LabService } from "@/lib/data";

export async function labControlAction(clusterId: string, node: NodeName, service: LabService, action: LabAction): Promise<ActionState> {
  const what = service === "api" ? "the API stand-in" : "keepalived";
  return runCommand(() => labControlCommand({ clusterId, node, service, action }), `${action === "stop" ? "Stopped" : "Started"} ${what} on ${node}.`);
}
