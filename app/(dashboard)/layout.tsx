import type { ReactNode } from "react";
import { navigation, sessionRenewalDelay } from "@/lib/data";
import { AppShell } from "@/app/ui/app-shell";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [nav, renewalDueIn] = await Promise.all([navigation(), sessionRenewalDelay()]);
  return (
    <AppShell nav={nav} sessionRenewalDueInMs={renewalDueIn}>
      {children}
    </AppShell>
  );
}
