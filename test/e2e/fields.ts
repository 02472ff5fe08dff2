import type { Page } from "@playwright/test";

// After a page load, React can leave the streamed page's own copy in a hidden `<div hidden id="S:…">` at the end of
// <body> beside the live one in <main> (seen in CI on the create wizard's first step): locators that would match
// both are role-based (the accessibility tree leaves hidden elements out) or look inside <main>.

/** A form field by its id (`field-<path>`), in <main>. */
export const field = (page: Page, path: string) => page.locator("main").locator(`#field-${path}`);
