import type { ReactNode } from "react";
import { navigation } from "@/lib/data";
import { AppShell } from "@/app/ui/app-shell";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  return <AppShell nav={await navigation()}>{children}</AppShell>;
}
