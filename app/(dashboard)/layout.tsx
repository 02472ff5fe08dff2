import Link from "next/link";
import type { ReactNode } from "react";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/data/session";
import { SignOutButton } from "@/app/ui/sign-out";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  return (
    <>
      <header className="nav">
        <span className="brand">Tripod</span>
        <Link href="/clusters">Clusters</Link>
        {can(actor, "oversight.read") && <Link href="/oversight">Oversight</Link>}
        {can(actor, "admin.read") && <Link href="/admin">Admin</Link>}
        <span className="who">
          Signed in as <b data-testid="user">{actor.username}</b> ({actor.role}) <SignOutButton />
        </span>
      </header>
      <main>{children}</main>
    </>
  );
}
