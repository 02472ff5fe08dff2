import Link from "next/link";
import type { ReactNode } from "react";
import { navigation } from "@/lib/data";
import { SignOutButton } from "@/app/ui/sign-out";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const nav = await navigation();
  return (
    <>
      <header className="nav">
        <span className="brand">Tripod</span>
        <Link href="/clusters">Clusters</Link>
        <Link href="/projects">Projects</Link>
        {nav.oversight && <Link href="/oversight">Oversight</Link>}
        {nav.audit && <Link href="/audit">Audit</Link>}
        {nav.admin && <Link href="/admin">Admin</Link>}
        <span className="who">
          Signed in as <b data-testid="user">{nav.username}</b> ({nav.role}) <Link href="/account">Your account</Link> <SignOutButton />
        </span>
      </header>
      <main>{children}</main>
    </>
  );
}
