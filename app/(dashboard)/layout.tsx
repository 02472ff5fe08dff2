import type { ReactNode } from "react";
import { navigation, sessionRenewalDelay } from "@/lib/data";
import { AppShell } from "@/app/ui/app-shell";
import { SessionRenewal } from "@/app/ui/session-renewal";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [nav, renewalDueIn] = await Promise.all([navigation(), sessionRenewalDelay()]);
  return (
    <>
      <SessionRenewal dueInMs={renewalDueIn} />
      <AppShell nav={nav}>{children}</AppShell>
    </>
  );
}
