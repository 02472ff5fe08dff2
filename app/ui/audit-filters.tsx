"use client";

import { ActionGroup, Button, Card, CardBody, Flex, Form } from "@patternfly/react-core";
import type { AuditFilter } from "@/lib/data";
import { DateField, FieldsContext, SelectField, TextField } from "./form-fields";

const OUTCOMES = ["succeeded", "failed", "denied", "allowed"];
const ANY = { value: "", label: "any" };
/** A plain GET form: no action, so no errors and nothing to register. */
const FILTERS = { id: "audit", errors: {}, inline: false, register: () => () => {} };

/** The audit log's filters: a GET form, so the filters live in the address like the page. */
export function AuditFilters({ filter, projects, size }: { filter: AuditFilter; projects: { id: string; name: string }[]; size: number }) {
  return (
    <Card style={{ marginBlock: "var(--pf-t--global--spacer--md)" }}>
      <CardBody>
        <FieldsContext.Provider value={FILTERS}>
          <Form method="get" data-testid="audit-filters">
            <Flex alignItems={{ default: "alignItemsFlexEnd" }}>
              <TextField name="actor" label="Actor (exact)" defaultValue={filter.actor} />
              <TextField name="action" label="Action (exact)" defaultValue={filter.action} placeholder="e.g. cloud.register" />
              <TextField name="target" label="Target (a prefix)" defaultValue={filter.target} />
              <SelectField name="outcome" label="Outcome" defaultValue={filter.outcome ?? ""} options={[ANY, ...OUTCOMES]} />
              <SelectField name="projectId" label="Project" defaultValue={filter.projectId ?? ""} options={[ANY, ...projects.map((p) => ({ value: p.id, label: p.name }))]} />
              <DateField name="from" label="From (UTC)" defaultValue={filter.from} />
              <DateField name="to" label="To (UTC, inclusive)" defaultValue={filter.to} />
              <input type="hidden" name="size" value={size} />
              <ActionGroup>
                <Button type="submit" variant="primary">
                  Filter
                </Button>
              </ActionGroup>
            </Flex>
          </Form>
        </FieldsContext.Provider>
      </CardBody>
    </Card>
  );
}
