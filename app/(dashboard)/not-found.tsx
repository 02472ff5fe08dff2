import { NotFound } from "@/app/ui/not-found";

// Inside the dashboard's frame, whose <main> holds it: app/not-found.tsx brings a <main> of its own for the addresses
// that match no page, which would nest a second main landmark in this one.
export default function DashboardNotFound() {
  return <NotFound what="This page" back={{ href: "/clusters", label: "Back to the clusters" }} />;
}
