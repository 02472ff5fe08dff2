import type { ReactNode } from "react";
import "@patternfly/react-core/dist/styles/base.css";
import { Providers } from "./providers";
import "./globals.css";

export const metadata = { title: "Tripod", description: "Hyperconverged OpenShift clusters on OpenStack", icons: { icon: "/favicon.svg" } };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
