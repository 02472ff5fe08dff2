"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

/** The sign-in form: a Tripod account, or a Keystone user (with their domain). `next` is already a same-origin path. */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
    setBusy(false);
    if (res?.ok && !res.error) {
      window.location.href = next;
    } else {
      // next-auth passes the message thrown by authorize(); anything else becomes one generic sentence.
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Sign-in failed. Try again.");
    }
  }

  return (
    <form className="stack card" onSubmit={onSubmit}>
      <label>
        User name
        <input name="username" autoComplete="username" required maxLength={256} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </label>
      <label>
        Keystone domain
        <input name="domain" autoComplete="off" maxLength={256} placeholder="empty for a Tripod account" />
      </label>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {error && (
        <p role="alert" data-testid="login-error">
          {error}
        </p>
      )}
    </form>
  );
}
