"use client";

import {
  Checkbox,
  DatePicker,
  FileUpload,
  FlexItem,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

/** What an ActionForm tells its fields: their ids, the field errors of the last answer, and its layout. */
export interface FormFieldsContext {
  /** Prefix of the fields' ids (the form's test id, unique on its page). */
  id: string;
  errors: Record<string, string>;
  /** A table row's form: controls labelled by aria-label, laid out in one line. */
  inline: boolean;
  /** A field announces its label and the id of its control so the error summary can link to it; the returned function withdraws it. */
  register: (name: string, label: string, target: string) => () => void;
}

export const FieldsContext = createContext<FormFieldsContext>({ id: "form", errors: {}, inline: false, register: () => () => {} });

interface FieldProps {
  name: string;
  label: string;
  isRequired?: boolean;
  /** Shown under the field (the rules it must follow); the error of the last answer goes above it. */
  helper?: string;
}

/**
 * Under a control: the error of the last answer, then the helper text (the rules the field follows). `id` is what the
 * control's aria-describedby names; `errorTestId` marks the error for tests. Used by these fields and the wizard's.
 */
export function FieldHelper({ id, error, helper, errorTestId }: { id: string; error?: string; helper?: ReactNode; errorTestId?: string }) {
  if (!error && !helper) return null;
  return (
    <FormHelperText>
      <HelperText id={id}>
        {error && (
          <HelperTextItem variant="error" data-testid={errorTestId}>
            {error}
          </HelperTextItem>
        )}
        {helper && <HelperTextItem>{helper}</HelperTextItem>}
      </HelperText>
    </FormHelperText>
  );
}

/** The label, the control and, under it, its error and helper text; in a row's form only the control and its error. */
function Field({
  id,
  labelFor = id,
  label,
  isRequired,
  helper,
  error,
  inline,
  children,
}: Omit<FieldProps, "name"> & { id: string; labelFor?: string; error?: string; inline: boolean; children: ReactNode }) {
  const text = <FieldHelper id={`${id}-helper`} error={error} helper={helper} />;
  if (inline)
    return (
      <FlexItem>
        {children}
        {text}
      </FlexItem>
    );
  return (
    <FormGroup label={label} isRequired={isRequired} fieldId={labelFor}>
      {children}
      {text}
    </FormGroup>
  );
}

/**
 * A field's ids, error and wiring: `field` for its Field (label, helper and error texts), `control` for its input
 * (id, name, required, error state, accessible label and description). `target` names the element the error
 * summary focuses when it is not the control itself (a suffix of the id).
 */
function useField({ name, label, isRequired, helper }: FieldProps, target = "") {
  const ctx = useContext(FieldsContext);
  const { register } = ctx;
  const id = `${ctx.id}-${name}`;
  const focus = target ? `${id}-${target}` : id;
  useEffect(() => register(name, label, focus), [register, name, label, focus]);
  const error = ctx.errors[name];
  const inline = ctx.inline;
  return {
    field: { id, label, isRequired, helper, error, inline },
    control: {
      id,
      name,
      isRequired,
      validated: error ? ("error" as const) : ("default" as const),
      ...(inline ? { "aria-label": label } : {}),
      ...(error || helper ? { "aria-describedby": `${id}-helper` } : {}),
    },
  };
}

export function TextField({
  type = "text",
  autoComplete = "off",
  defaultValue,
  placeholder,
  ...props
}: FieldProps & { type?: "text" | "password" | "url"; autoComplete?: string; defaultValue?: string; placeholder?: string }) {
  const { field, control } = useField(props);
  return (
    <Field {...field}>
      <TextInput {...control} type={type} autoComplete={autoComplete} defaultValue={defaultValue} placeholder={placeholder} />
    </Field>
  );
}

/**
 * A day, typed or picked in PatternFly's calendar, as YYYY-MM-DD (the pages' dates are ISO; a browser's own date input
 * shows its locale's order instead).
 */
export function DateField({ defaultValue, ...props }: FieldProps & { defaultValue?: string }) {
  const { field, control } = useField(props);
  return (
    <Field {...field}>
      {/* the picker keeps its own "Invalid date" state: the control's validated would override it */}
      <DatePicker
        value={defaultValue ?? ""}
        aria-label={props.label}
        buttonAriaLabel={`Calendar for ${props.label}`}
        inputProps={{ id: control.id, name: control.name }}
        appendTo="inline"
      />
    </Field>
  );
}

export function TextAreaField({ rows = 3, defaultValue, ...props }: FieldProps & { rows?: number; defaultValue?: string }) {
  const { field, control } = useField(props);
  return (
    <Field {...field}>
      <TextArea
        {...control}
        rows={rows}
        defaultValue={defaultValue}
        spellCheck={false}
        resizeOrientation="vertical"
        style={{ fontFamily: "var(--pf-t--global--font--family--mono)" }}
      />
    </Field>
  );
}

type Option = string | { value: string; label: string };

/** A select; it keeps its own choice (from `defaultValue`), or follows `value` and `onChange` (a form that changes with it). */
export function SelectField({
  options,
  defaultValue,
  value,
  onChange,
  ...props
}: FieldProps & { options: Option[]; defaultValue?: string; value?: string; onChange?: (value: string) => void }) {
  const { field, control } = useField(props);
  const choices = options.map((o) => (typeof o === "string" ? { value: o, label: o } : o));
  // PatternFly's FormSelect is always controlled.
  const [own, setOwn] = useState(defaultValue ?? choices[0]?.value ?? "");
  // In a row (inline) the select shrinks with its neighbours, to "memb▾": never narrower than its longest choice
  // and the caret there. In a form it has the form's width (a minimum would push a long choice out of a narrow card).
  const style = field.inline ? { minWidth: `calc(${Math.max(...choices.map((o) => o.label.length), 1)}ch + 4rem)` } : undefined;
  return (
    <Field {...field}>
      <FormSelect {...control} style={style} value={value ?? own} onChange={(_e, v) => (onChange ? onChange(v) : setOwn(v))}>
        {choices.map((o) => (
          <FormSelectOption key={o.value} value={o.value} label={o.label} />
        ))}
      </FormSelect>
    </Field>
  );
}

/** A checkbox: its label beside it, the helper text as its description, its error under it. */
export function CheckboxField({ defaultChecked, ...props }: Omit<FieldProps, "isRequired"> & { defaultChecked?: boolean }) {
  const { field, control } = useField({ ...props, helper: undefined });
  return (
    <Field {...field} label="">
      <Checkbox
        id={control.id}
        name={control.name}
        label={props.label}
        description={props.helper}
        defaultChecked={defaultChecked}
        isValid={!field.error}
        aria-describedby={control["aria-describedby"]}
      />
    </Field>
  );
}

/** A text file (e.g. clouds.yaml) read in the browser and sent as the field's text. */
export function FileField({ accept, ...props }: FieldProps & { accept?: string[] }) {
  // FileUpload names its file-name box `${id}-filename`: the label and the error summary point there.
  const { field, control } = useField(props, "filename");
  const [file, setFile] = useState({ filename: "", text: "" });
  return (
    <Field {...field} labelFor={`${field.id}-filename`}>
      <FileUpload
        id={control.id}
        type="text"
        filename={file.filename}
        value={file.text}
        filenamePlaceholder="Drag a file here or browse to upload"
        filenameAriaLabel={props.label}
        browseButtonText="Browse…"
        validated={control.validated}
        isRequired={props.isRequired}
        hideDefaultPreview
        dropzoneProps={accept ? { accept: { "text/plain": accept } } : undefined}
        onFileInputChange={(_e, f) => setFile((old) => ({ ...old, filename: f.name }))}
        onDataChange={(_e, text) => setFile((old) => ({ ...old, text }))}
        onClearClick={() => setFile({ filename: "", text: "" })}
      />
      <input type="hidden" name={control.name} value={file.text} />
    </Field>
  );
}
