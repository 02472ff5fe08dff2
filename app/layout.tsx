import { connection } from "next/server";
import type { ReactNode } from "react";
import "@patternfly/react-core/dist/styles/base.css";
import { Providers } from "./providers";
import "./globals.css";

export const metadata = { title: "Tripod", description: "Hyperconverged OpenShift clusters on OpenStack", icons: { icon: "/favicon.svg" } };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, never prerendered by `npm run build`: every page's scripts carry the nonce of its answer's
  // content security policy (lib/security-headers.ts), which a page built ahead of time could not know.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
