"use client";

import { Button, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, TextInput, type ButtonProps } from "@patternfly/react-core";
import { useId, useState, type ReactNode } from "react";

/**
 * A button that asks before it acts: once (cancel, mark bootstrap complete, approve), or — for what cannot be
 * undone — until the cluster's name is typed. Danger actions are red in the page and in the dialog.
 */
export function ConfirmButton({
  label,
  variant,
  title,
  children,
  confirmLabel,
  typeToConfirm,
  disabled,
  size,
  onConfirm,
}: {
  label: string;
  variant: ButtonProps["variant"];
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The text the user must type before the confirm button works. */
  typeToConfirm?: string;
  disabled?: boolean;
  /** The opening button's size (PatternFly's "sm" beside other small buttons). */
  size?: ButtonProps["size"];
  onConfirm: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const id = useId();
  const ready = typeToConfirm === undefined || typed === typeToConfirm;
  const close = () => {
    setOpen(false);
    setTyped("");
  };
  const confirm = () => {
    if (!ready) return;
    close();
    onConfirm();
  };
  return (
    <>
      <Button variant={variant} size={size} isDanger={variant === "danger" || undefined} isDisabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal variant="small" isOpen={open} onClose={close} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`}>
        <ModalHeader title={title} labelId={`${id}-title`} titleIconVariant={variant === "danger" ? "danger" : variant === "warning" ? "warning" : undefined} />
        <ModalBody id={`${id}-body`}>
          {children}
          {typeToConfirm !== undefined && (
            <Form
              onSubmit={(e) => {
                e.preventDefault();
                confirm();
              }}
            >
              <FormGroup label={`Type ${typeToConfirm} to confirm`} fieldId={`${id}-typed`}>
                <TextInput id={`${id}-typed`} value={typed} onChange={(_e, v) => setTyped(v)} autoComplete="off" aria-label="Cluster name" />
              </FormGroup>
            </Form>
          )}
        </ModalBody>
        <ModalFooter>
          <Button variant={variant === "danger" ? "danger" : "primary"} isDisabled={!ready} onClick={confirm}>
            {confirmLabel}
          </Button>
          <Button variant="link" onClick={close}>
            Keep it
          </Button>
        </ModalFooter>
      </Modal>
    </>
  );
}
