"use client";

import {
  Checkbox,
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

function useField(name: string, label: string, target = "") {
  const ctx = useContext(FieldsContext);
  const { register } = ctx;
  const id = `${ctx.id}-${name}`;
  const focus = target ? `${id}-${target}` : id;
  useEffect(() => register(name, label, focus), [register, name, label, focus]);
  const error = ctx.errors[name];
  return { id, error, inline: ctx.inline, validated: error ? ("error" as const) : ("default" as const) };
}

interface FieldProps {
  name: string;
  label: string;
  isRequired?: boolean;
  /** Shown under the field (the rules it must follow); the error of the last answer goes above it. */
  helper?: string;
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
  const text = (error || helper) && (
    <FormHelperText>
      <HelperText id={`${id}-helper`}>
        {error && <HelperTextItem variant="error">{error}</HelperTextItem>}
        {helper && <HelperTextItem>{helper}</HelperTextItem>}
      </HelperText>
    </FormHelperText>
  );
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

/** The control's accessible wiring: its label when it has no visible one, and its helper text. */
function described(id: string, label: string, inline: boolean, error: string | undefined, helper: string | undefined) {
  return { ...(inline ? { "aria-label": label } : {}), ...(error || helper ? { "aria-describedby": `${id}-helper` } : {}) };
}

export function TextField({
  name,
  label,
  isRequired,
  helper,
  type = "text",
  autoComplete = "off",
  defaultValue,
  placeholder,
}: FieldProps & { type?: "text" | "password" | "url" | "date"; autoComplete?: string; defaultValue?: string; placeholder?: string }) {
  const { id, error, inline, validated } = useField(name, label);
  return (
    <Field id={id} label={label} isRequired={isRequired} helper={helper} error={error} inline={inline}>
      <TextInput
        id={id}
        name={name}
        type={type}
        isRequired={isRequired}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        placeholder={placeholder}
        validated={validated}
        {...described(id, label, inline, error, helper)}
      />
    </Field>
  );
}

export function TextAreaField({ name, label, isRequired, helper, rows = 3, defaultValue }: FieldProps & { rows?: number; defaultValue?: string }) {
  const { id, error, inline, validated } = useField(name, label);
  return (
    <Field id={id} label={label} isRequired={isRequired} helper={helper} error={error} inline={inline}>
      <TextArea
        id={id}
        name={name}
        rows={rows}
        isRequired={isRequired}
        defaultValue={defaultValue}
        spellCheck={false}
        resizeOrientation="vertical"
        validated={validated}
        style={{ fontFamily: "var(--pf-t--global--font--family--mono)" }}
        {...described(id, label, inline, error, helper)}
      />
    </Field>
  );
}

type Option = string | { value: string; label: string };

/** A select; it keeps its own choice (from `defaultValue`), or follows `value` and `onChange` (a form that changes with it). */
export function SelectField({
  name,
  label,
  isRequired,
  helper,
  options,
  defaultValue,
  value,
  onChange,
}: FieldProps & { options: Option[]; defaultValue?: string; value?: string; onChange?: (value: string) => void }) {
  const { id, error, inline, validated } = useField(name, label);
  const choices = options.map((o) => (typeof o === "string" ? { value: o, label: o } : o));
  // PatternFly's FormSelect is always controlled.
  const [own, setOwn] = useState(defaultValue ?? choices[0]?.value ?? "");
  return (
    <Field id={id} label={label} isRequired={isRequired} helper={helper} error={error} inline={inline}>
      <FormSelect
        id={id}
        name={name}
        isRequired={isRequired}
        validated={validated}
        value={value ?? own}
        onChange={(_e, v) => (onChange ? onChange(v) : setOwn(v))}
        {...described(id, label, inline, error, helper)}
      >
        {choices.map((o) => (
          <FormSelectOption key={o.value} value={o.value} label={o.label} />
        ))}
      </FormSelect>
    </Field>
  );
}

export function CheckboxField({ name, label, helper, defaultChecked }: Omit<FieldProps, "isRequired"> & { defaultChecked?: boolean }) {
  const { id, error } = useField(name, label);
  return (
    <FormGroup fieldId={id}>
      <Checkbox
        id={id}
        name={name}
        label={label}
        description={helper}
        defaultChecked={defaultChecked}
        isValid={!error}
        {...(error ? { "aria-describedby": `${id}-helper` } : {})}
      />
      {error && (
        <FormHelperText>
          <HelperText id={`${id}-helper`}>
            <HelperTextItem variant="error">{error}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      )}
    </FormGroup>
  );
}

/** A text file (e.g. clouds.yaml) read in the browser and sent as the field's text. */
export function FileField({ name, label, isRequired, helper, accept }: FieldProps & { accept?: string[] }) {
  // FileUpload names its file-name box `${id}-filename`: the label and the error summary point there.
  const { id, error, inline, validated } = useField(name, label, "filename");
  const [file, setFile] = useState({ filename: "", text: "" });
  return (
    <Field id={id} labelFor={`${id}-filename`} label={label} isRequired={isRequired} helper={helper} error={error} inline={inline}>
      <FileUpload
        id={id}
        type="text"
        filename={file.filename}
        value={file.text}
        filenamePlaceholder="Drag a file here or browse to upload"
        browseButtonText="Browse…"
        filenameAriaLabel={label}
        validated={validated}
        isRequired={isRequired}
        hideDefaultPreview
        dropzoneProps={accept ? { accept: { "text/plain": accept } } : undefined}
        onFileInputChange={(_e, f) => setFile((old) => ({ ...old, filename: f.name }))}
        onDataChange={(_e, text) => setFile((old) => ({ ...old, text }))}
        onClearClick={() => setFile({ filename: "", text: "" })}
      />
      <input type="hidden" name={name} value={file.text} />
    </Field>
  );
}
