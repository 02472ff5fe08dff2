import { Skeleton } from "@/app/ui/skeleton";

export default function Loading() {
  return <Skeleton what="the cluster" />;
}
