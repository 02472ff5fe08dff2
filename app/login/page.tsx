"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

export default function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setBusy(false);
    if (res?.ok && !res.error) {
      const next = new URLSearchParams(window.location.search).get("callbackUrl");
      window.location.href = next?.startsWith("/") ? next : "/clusters";
    } else {
      // next-auth passes the message thrown by authorize(); anything else becomes one generic sentence.
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Sign-in failed. Try again.");
    }
  }

  return (
    <main>
      <h1>Tripod</h1>
      <p className="empty">Hyperconverged OpenShift clusters on your OpenStack project.</p>
      <form className="stack card" onSubmit={onSubmit}>
        <label>
          User name
          <input name="username" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
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
    </main>
  );
}
