import NextLink from "next/link";
import type { ComponentProps } from "react";

/**
 * next/link without prefetching. Every page here is dynamic (it reads the signed-in user and live state), so
 * Next's default prefetch asks the server to render each visible link's target: a clusters page of 20 rows sent
 * ~46 requests, the cluster pages' among them with their read models, for one view. A click renders the target once.
 */
export default function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
