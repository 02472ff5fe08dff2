import { NotFound } from "@/app/ui/not-found";

export default function RootNotFound() {
  return (
    <main>
      <NotFound what="This page" back={{ href: "/clusters", label: "Back to the clusters" }} />
    </main>
  );
}
