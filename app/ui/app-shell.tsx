"use client";

import {
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  Nav,
  NavItem,
  NavList,
  Page,
  PageSection,
  SkipToContent,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from "@patternfly/react-core";
import Link from "@/app/ui/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import type { Navigation, SessionRenewal } from "@/lib/data";
import { useSessionRenewal } from "./session-renewal";
import { SignOutButton } from "./sign-out";

const MAIN_ID = "main-content";

/**
 * The dashboard's frame, as the OpenShift console's: a masthead with the sections this user may open, then the page.
 * It also renews the session cookie when it is due (./session-renewal.ts).
 */
export function AppShell({ nav, sessionRenewal, children }: { nav: Navigation; sessionRenewal: SessionRenewal; children: ReactNode }) {
  const pathname = usePathname();
  useSessionRenewal(sessionRenewal);
  const sections = [
    { href: "/clusters", label: "Clusters", shown: true },
    { href: "/projects", label: "Projects", shown: true },
    { href: "/oversight", label: "Oversight", shown: nav.oversight },
    { href: "/audit", label: "Audit", shown: nav.audit },
    { href: "/admin", label: "Admin", shown: nav.admin },
  ].filter((section) => section.shown);
  const masthead = (
    <Masthead>
      <MastheadMain>
        <MastheadBrand>
          <MastheadLogo component={Link} href="/clusters">
            <b>Tripod</b>
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            <ToolbarItem>
              <Nav variant="horizontal" aria-label="Sections">
                <NavList>
                  {sections.map((section) => (
                    <NavItem key={section.href} isActive={pathname === section.href || pathname.startsWith(`${section.href}/`)}>
                      <Link href={section.href}>{section.label}</Link>
                    </NavItem>
                  ))}
                </NavList>
              </Nav>
            </ToolbarItem>
            <ToolbarGroup align={{ default: "alignEnd" }} alignItems="center">
              <ToolbarItem>
                <span>
                  Signed in as <b data-testid="user">{nav.username}</b> ({nav.role})
                </span>
              </ToolbarItem>
              <ToolbarItem>
                <Link href="/account">Your account</Link>
              </ToolbarItem>
              <ToolbarItem>
                <SignOutButton />
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );
  return (
    <Page masthead={masthead} mainContainerId={MAIN_ID} skipToContent={<SkipToContent href={`#${MAIN_ID}`}>Skip to content</SkipToContent>}>
      <PageSection>{children}</PageSection>
    </Page>
  );
}
