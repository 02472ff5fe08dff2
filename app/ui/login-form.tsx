"use client";

import {
  ActionGroup,
  Alert,
  Brand,
  Button,
  Content,
  Form,
  FormAlert,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Login,
  LoginHeader,
  LoginMainBody,
  LoginMainHeader,
  Stack,
  TextInput,
  Title,
} from "@patternfly/react-core";
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

  // PatternFly's LoginPage put together from its parts: LoginPage renders the title as an h2, with no prop for its
  // level, and the title is this page's h1. The subtitle goes under it (LoginMainHeader's own would come first).
  return (
    <Login header={<LoginHeader headerBrand={<Brand src="/favicon.svg" alt="Tripod" />} />}>
      <LoginMainHeader>
        <Stack hasGutter>
          <Title headingLevel="h1" size="3xl">
            Sign in to Tripod
          </Title>
          <Content component="p">Hyperconverged OpenShift clusters on your OpenStack project.</Content>
        </Stack>
      </LoginMainHeader>
      <LoginMainBody>
        <Form onSubmit={onSubmit}>
          {error && (
            <FormAlert>
              <Alert id="login-error" data-testid="login-error" variant="danger" isInline isLiveRegion tabIndex={-1} component="p" title={error} />
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
      </LoginMainBody>
    </Login>
  );
}
