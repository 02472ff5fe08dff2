// Installer file upload (bootstrap.ign, master.ign, auth/kubeconfig, auth/kubeadmin-password): the request body is
// the file, streamed and refused beyond 16 MiB; lib/data validates it and stores it sealed.
import { installerFileRoute } from "@/lib/data";

export const PUT = installerFileRoute;
