"use client";

import {
  ActionGroup,
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  Flex,
  Form,
  FormAlert,
  List,
  ListItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Title,
} from "@patternfly/react-core";
import { startTransition, useActionState, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { ActionState } from "@/lib/data";
import { FieldsContext } from "./form-fields";
import { alertTitle } from "./title";

type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/** One submit button: plain data, so server pages can pass it. `name`/`value` go along with the form (e.g. intent=test). */
export interface SubmitButton {
  label: string;
  name?: string;
  value?: string;
  variant?: "primary" | "secondary" | "danger" | "link";
}

/** A destructive action's confirmation: its button opens a modal, whose danger button submits. */
export interface Confirm {
  title: string;
  body: string;
}

interface Props {
  action: FormAction;
  /** The form's test id; also its element id and the prefix of its fields' ids (unique on the page). */
  testId: string;
  /** The submit button's label, or several buttons. */
  submit: string | SubmitButton[];
  children?: ReactNode;
  /** Ids and other fixed values the action needs (hidden inputs). */
  values?: Record<string, string>;
  /** Renders the form as a card with this heading. */
  title?: string;
  /** The level of the form's first heading: its title, or without one, the answer's alert (when that is a heading). */
  headingLevel?: 2 | 3;
  /** A table row's form: its controls and a small button in one line, its answer under them. */
  inline?: boolean;
  confirm?: Confirm;
}

/**
 * A PatternFly form bound to one server action. Each field (app/ui/form-fields) shows its own error under it; an alert
 * at the top sums the errors up with links to the fields, or says the action's sentence, and takes the focus.
 * Submitted by hand (not <form action>), so a refused form keeps everything typed; the pressed button's name and
 * value go along.
 */
export function ActionForm({ action, testId, submit, children, values, title, headingLevel = 2, inline = false, confirm }: Props) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, {});
  const [pressed, setPressed] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [fields, setFields] = useState<Record<string, { label: string; target: string }>>({});
  const register = useCallback((name: string, label: string, target: string) => {
    setFields((f) => ({ ...f, [name]: { label, target } }));
    return () =>
      setFields((f) => {
        const rest = { ...f };
        delete rest[name];
        return rest;
      });
  }, []);
  const errors = useMemo(() => state.errors ?? {}, [state.errors]);
  const context = useMemo(() => ({ id: testId, errors, inline, register }), [testId, errors, inline, register]);
  const resultId = `${testId}-message`;

  // A new answer: the modal closes; the alert (or, in a row, the first field in error) takes the focus.
  const answered = useRef<ActionState | null>(null);
  useEffect(() => {
    if (answered.current === null) {
      answered.current = state;
      return;
    }
    if (answered.current === state) return;
    answered.current = state;
    setConfirming(false);
    const first = Object.keys(state.errors ?? {}).find((name) => fields[name]);
    const target = inline ? (first ? fields[first].target : undefined) : resultId;
    if (target) document.getElementById(target)?.focus();
  }, [state, fields, inline, resultId]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    setPressed(submitter?.getAttribute("value") ?? undefined);
    const data = new FormData(e.currentTarget, submitter);
    startTransition(() => formAction(data));
  };

  const buttons = typeof submit === "string" ? [{ label: submit }] : submit;
  const size = inline ? "sm" : "default";
  const submitButtons = buttons.map((b, i) => {
    const variant = b.variant ?? (inline ? "secondary" : i === buttons.length - 1 ? "primary" : "secondary");
    if (confirm)
      return (
        <Button key={b.label} variant="secondary" isDanger size={size} isDisabled={pending} onClick={() => setConfirming(true)}>
          {b.label}
        </Button>
      );
    return (
      <Button
        key={b.label}
        type="submit"
        name={b.name}
        value={b.value}
        variant={variant}
        size={size}
        isLoading={pending && pressed === b.value}
        isDisabled={pending && pressed !== b.value}
      >
        {b.label}
      </Button>
    );
  });

  const unplaced = Object.entries(errors).filter(([name]) => !fields[name]);
  const hasErrors = Object.keys(errors).length > 0;
  const lines = (state.message ?? "").split("\n");
  const answerLevel = title ? ((headingLevel + 1) as 3 | 4) : headingLevel;
  let result: ReactNode = null;
  if (hasErrors && !inline) {
    result = (
      <Alert
        id={resultId}
        data-testid={resultId}
        variant="danger"
        isInline
        isLiveRegion
        tabIndex={-1}
        component={alertTitle(answerLevel, true)}
        title={Object.keys(errors).length === 1 ? "Nothing was changed. Correct this:" : "Nothing was changed. Correct these:"}
      >
        <List data-testid={`${testId}-errors`}>
          {Object.entries(errors).map(([name, message]) => (
            <ListItem key={name}>
              {fields[name] ? (
                <>
                  <Button
                    variant="link"
                    isInline
                    component="a"
                    href={`#${fields[name].target}`}
                    onClick={(e) => {
                      e.preventDefault();
                      document.getElementById(fields[name].target)?.focus();
                    }}
                  >
                    {fields[name].label}
                  </Button>
                  : {message}
                </>
              ) : (
                message
              )}
            </ListItem>
          ))}
        </List>
      </Alert>
    );
  } else if (state.message && (!inline || !hasErrors || unplaced.length > 0)) {
    // In a row a field's own error says it all; an error no field shows, or the action's sentence, goes under the row.
    const [head, ...rest] = inline && unplaced.length > 0 ? [unplaced.map(([, m]) => m).join(" ")] : lines;
    result = (
      <Alert
        id={resultId}
        data-testid={resultId}
        variant={state.ok ? "success" : "danger"}
        isInline
        isPlain={inline}
        isLiveRegion
        tabIndex={-1}
        // in a table's row a heading would seem to head the rows under it
        component={alertTitle(answerLevel, !inline && rest.length > 0)}
        title={head}
      >
        {rest.length > 0 && <div style={{ whiteSpace: "pre-line" }}>{rest.join("\n")}</div>}
      </Alert>
    );
  }

  const hidden = Object.entries(values ?? {}).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  const form = inline ? (
    <Form id={testId} data-testid={testId} onSubmit={onSubmit} noValidate>
      <Flex spaceItems={{ default: "spaceItemsSm" }} alignItems={{ default: "alignItemsFlexStart" }} flexWrap={{ default: "nowrap" }}>
        {hidden}
        {children}
        {submitButtons}
      </Flex>
      {result}
    </Form>
  ) : (
    <Form id={testId} data-testid={testId} onSubmit={onSubmit} noValidate>
      {result && <FormAlert>{result}</FormAlert>}
      {hidden}
      {children}
      <ActionGroup>{submitButtons}</ActionGroup>
    </Form>
  );
  const confirmation = confirm && (
    <Modal variant="small" isOpen={confirming} onClose={() => setConfirming(false)} aria-labelledby={`${testId}-confirm-title`} aria-describedby={`${testId}-confirm-body`}>
      <ModalHeader title={confirm.title} titleIconVariant="warning" labelId={`${testId}-confirm-title`} />
      <ModalBody id={`${testId}-confirm-body`}>{confirm.body}</ModalBody>
      <ModalFooter>
        <Button type="submit" form={testId} variant="danger" isLoading={pending} isDisabled={pending}>
          {buttons[0].label}
        </Button>
        <Button variant="link" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
  return (
    <FieldsContext.Provider value={context}>
      {title ? (
        <Card>
          <CardTitle>
            <Title headingLevel={`h${headingLevel}`} size="lg">
              {title}
            </Title>
          </CardTitle>
          <CardBody>{form}</CardBody>
        </Card>
      ) : (
        form
      )}
      {confirmation}
    </FieldsContext.Provider>
  );
}
