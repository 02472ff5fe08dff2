"use client";

import {
  Alert,
  FormGroup,
  FormSelect,
  FormSelectOption,
  List,
  ListItem,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { useEffect, useRef, type ReactNode } from "react";
import { FieldHelper } from "../form-fields";
import { alertTitle } from "../title";
import { counted } from "../words";

/** The DOM id of a spec field: its dotted path with dashes (an error summary links to it). */
export const fieldId = (path: string) => `field-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** The helper text's id: what the control's aria-describedby names. */
const helperId = (path: string) => `${fieldId(path)}-helper`;

/** The error replaces the hint while there is one: the hint is what to enter, the error what was wrong with it. */
const Helper = ({ path, error, hint }: { path: string; error?: string; hint?: ReactNode }) => (
  <FieldHelper id={helperId(path)} error={error} helper={error ? undefined : hint} errorTestId={`error-${path}`} />
);

export function TextField(props: {
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  hint?: ReactNode;
  isRequired?: boolean;
  multiline?: boolean;
}) {
  const { path, label, value, onChange, onBlur, error, hint, isRequired, multiline } = props;
  const common = {
    id: fieldId(path),
    value,
    validated: error ? ("error" as const) : ("default" as const),
    onBlur,
    "aria-invalid": !!error,
    ...(error || hint ? { "aria-describedby": helperId(path) } : {}),
  };
  return (
    <FormGroup label={label} fieldId={fieldId(path)} isRequired={isRequired}>
      {multiline ? (
        <TextArea {...common} onChange={(_e, v) => onChange(v)} resizeOrientation="vertical" />
      ) : (
        <TextInput {...common} type="text" onChange={(_e, v) => onChange(v)} />
      )}
      <Helper path={path} error={error} hint={hint} />
    </FormGroup>
  );
}

export function SelectField(props: {
  path: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  placeholder?: string;
}) {
  const { path, label, value, options, onChange, error, hint, placeholder } = props;
  return (
    <FormGroup label={label} fieldId={fieldId(path)} isRequired>
      <FormSelect id={fieldId(path)} value={value} onChange={(_e, v) => onChange(v)} validated={error ? "error" : "default"} aria-label={label} aria-describedby={error || hint ? helperId(path) : undefined}>
        <FormSelectOption value="" label={placeholder ?? "Choose…"} isPlaceholder />
        {options.map((o) => (
          <FormSelectOption key={o.value} value={o.value} label={o.label} />
        ))}
      </FormSelect>
      <Helper path={path} error={error} hint={hint} />
    </FormGroup>
  );
}

/**
 * The problems of the page at its top: takes focus when they change (screen readers announce it, keyboard users
 * land on it), each links to its field. Field labels come from the page. `headingLevel`: its title's when it lists
 * problems, 2 at the top of a step (whose sections are h2s under the page's h1).
 */
export function ErrorSummary({
  errors,
  labels,
  message,
  headingLevel = 2,
}: {
  errors: Record<string, string>;
  labels: (path: string) => string;
  message?: string;
  headingLevel?: 2 | 3;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const signature = JSON.stringify(errors) + (message ?? "");
  useEffect(() => {
    if (entries.length > 0 || message) ref.current?.focus();
  }, [signature]); // eslint-disable-line react-hooks/exhaustive-deps
  if (entries.length === 0 && !message) return null;
  return (
    <div ref={ref} tabIndex={-1} data-testid="error-summary" style={{ marginBottom: "1rem" }}>
      <Alert
        variant="danger"
        isInline
        component={alertTitle(headingLevel, entries.length > 0)}
        title={message ?? `${counted(entries.length, "problem")} on this step: nothing you entered was lost`}
      >
        {entries.length > 0 && (
          <List>
            {entries.map(([path, text]) => {
              const label = labels(path);
              // a sentence that names its field already ("bootstrap.ign is 20.0 MiB…") links the name, not "x: x is…"
              const rest = text.startsWith(`${label} `) ? text.slice(label.length) : `: ${text}`;
              return (
                <ListItem key={path}>
                  <a href={`#${fieldId(path)}`}>{label}</a>
                  {rest}
                </ListItem>
              );
            })}
          </List>
        )}
      </Alert>
    </div>
  );
}
