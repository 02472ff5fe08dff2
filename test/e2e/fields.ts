import type { Page } from "@playwright/test";

/**
 * A form field by its id (`field-<path>`). Right after a page load React may still hold the streamed page in a
 * hidden `S:0` element beside the live copy in <main> (Suspense reveals are batched): only the visible one counts.
 */
export const field = (page: Page, path: string) => page.locator(`#field-${path}`).filter({ visible: true });
