import { NotFound } from "@/app/ui/not-found";

export default function ClusterNotFound() {
  return <NotFound what="This cluster" back={{ href: "/clusters", label: "Back to the clusters" }} />;
}
