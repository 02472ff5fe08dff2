import { clusterFileRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Downloads: kubeconfig, kubeadmin-password, ignition?node=…[&full=1], inventory, console?node=…, log.
export const GET = clusterFileRoute;
