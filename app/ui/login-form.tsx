"use client";

import { ActionGroup, Alert, Button, Form, FormAlert, FormGroup, FormHelperText, HelperText, HelperTextItem, LoginPage, TextInput } from "@patternfly/react-core";
import { signIn } from "next-auth/react";
import { useEffect, useState, type FormEvent } from "react";

/** The sign-in page: a Tripod account, or a Keystone user (with their domain). `next` is already a same-origin path. */
export function LoginForm({ next }: { next: string }) {
  const [failure, setFailure] = useState<{ error: string; attempt: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const error = failure?.error;
  // Each refused attempt moves the focus to its alert (the same sentence again included).
  useEffect(() => {
    if (failure) document.getElementById("login-error")?.focus();
  }, [failure]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      domain: String(form.get("domain") ?? ""),
      redirect: false,
    });
    if (res?.ok && !res.error) {
      window.location.href = next;
      return;
    }
    setBusy(false);
    // next-auth passes the message thrown by authorize(); anything else becomes one generic sentence.
    const error = res?.error && res.error !== "CredentialsSignin" ? res.error : "Sign-in failed. Try again.";
    setFailure((old) => ({ error, attempt: (old?.attempt ?? 0) + 1 }));
  }

  return (
    <LoginPage
      brandImgSrc="/favicon.svg"
      brandImgAlt="Tripod"
      loginTitle="Sign in to Tripod"
      loginSubtitle="Hyperconverged OpenShift clusters on your OpenStack project."
    >
      <Form onSubmit={onSubmit}>
        {error && (
          <FormAlert>
            <Alert id="login-error" data-testid="login-error" variant="danger" isInline isLiveRegion tabIndex={-1} title={error} />
          </FormAlert>
        )}
        <FormGroup label="User name" isRequired fieldId="login-username">
          <TextInput id="login-username" name="username" autoComplete="username" isRequired maxLength={256} validated={error ? "error" : "default"} />
        </FormGroup>
        <FormGroup label="Password" isRequired fieldId="login-password">
          <TextInput id="login-password" name="password" type="password" autoComplete="current-password" isRequired maxLength={256} validated={error ? "error" : "default"} />
        </FormGroup>
        <FormGroup label="Keystone domain" fieldId="login-domain">
          <TextInput id="login-domain" name="domain" autoComplete="off" maxLength={256} aria-describedby="login-domain-helper" />
          <FormHelperText>
            <HelperText id="login-domain-helper">
              <HelperTextItem>Empty for a Tripod account.</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <ActionGroup>
          <Button type="submit" variant="primary" isBlock isLoading={busy} isDisabled={busy}>
            Sign in
          </Button>
        </ActionGroup>
      </Form>
    </LoginPage>
  );
}
