import { clusterFileRoute, installerFileRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// GET downloads: kubeconfig, kubeadmin-password, ignition?node=…[&full=1], inventory, console?node=…, log.
export const GET = clusterFileRoute;
// PUT uploads an installer file (bootstrap.ign, master.ign, kubeconfig, kubeadmin-password): the request body is the
// file, streamed and refused beyond 16 MiB; lib/data validates it and stores it sealed.
export const PUT = installerFileRoute;
