import type { ReactNode } from "react";
import { navigation, sessionRenewal } from "@/lib/data";
import { AppShell } from "@/app/ui/app-shell";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const [nav, renewal] = await Promise.all([navigation(), sessionRenewal()]);
  return (
    <AppShell nav={nav} sessionRenewal={renewal}>
      {children}
    </AppShell>
  );
}
