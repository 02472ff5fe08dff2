"use client";

import { Label } from "@patternfly/react-core";
import { statusTone } from "@/lib/domain";

const STATUS = { success: "success", danger: "danger", warning: "warning", info: "info" } as const;

/** The one status badge: a PatternFly label whose colour follows the status's tone on every page. */
export function StatusLabel({ status, testId, text }: { status: string; testId?: string; text?: string }) {
  const tone = statusTone(status);
  return (
    <Label isCompact status={tone === "grey" ? undefined : STATUS[tone]} color={tone === "grey" ? "grey" : undefined} data-testid={testId}>
      {text ?? status}
    </Label>
  );
}
