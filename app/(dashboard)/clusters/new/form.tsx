"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/data";
import { draftClusterAction } from "../actions";

interface ProjectChoice {
  id: string;
  name: string;
  clouds: { id: string; name: string; authUrl: string }[];
}

function FieldError({ errors, name }: { errors?: Record<string, string>; name: string }) {
  const message = errors?.[name];
  return message ? (
    <span className="field-error" data-testid={`error-${name}`}>
      {message}
    </span>
  ) : null;
}

export function NewClusterForm({ projects }: { projects: ProjectChoice[] }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(draftClusterAction, {});
  const [projectId, setProjectId] = useState(projects[0]?.id ?? "");
  const clouds = projects.find((p) => p.id === projectId)?.clouds ?? [];
  // Spec errors are keyed "spec.<path>": listed under the spec box, each with the field it is about.
  const specErrors = Object.entries(state.errors ?? {}).filter(([k]) => k.startsWith("spec."));
  return (
    <form action={action} className="stack card" style={{ maxWidth: "60rem" }}>
      <label>
        Project
        <select name="projectId" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <FieldError errors={state.errors} name="projectId" />
      </label>
      <label>
        Cloud
        <select name="cloudId">
          {clouds.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.authUrl})
            </option>
          ))}
        </select>
        <FieldError errors={state.errors} name="cloudId" />
      </label>
      <label>
        Cluster spec (JSON)
        <textarea name="specJson" rows={16} spellCheck={false} style={{ fontFamily: "monospace" }} />
        <FieldError errors={state.errors} name="specJson" />
      </label>
      {specErrors.length > 0 && (
        <ul data-testid="spec-errors" className="field-error">
          {specErrors.map(([path, message]) => (
            <li key={path}>
              <code>{path.slice("spec.".length)}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      <label>
        Installer kubeconfig (optional: Tripod then watches for bootstrap-complete itself)
        <textarea name="kubeconfig" rows={4} spellCheck={false} style={{ fontFamily: "monospace" }} />
        <FieldError errors={state.errors} name="kubeconfig" />
      </label>
      <label>
        kubeadmin password (optional: the installer&apos;s <code>auth/kubeadmin-password</code>, downloadable by the project&apos;s members)
        <input name="kubeadminPassword" type="password" autoComplete="off" />
        <FieldError errors={state.errors} name="kubeadminPassword" />
      </label>
      <button type="submit" disabled={pending}>
        Validate and show the plan
      </button>
      {state.message && <p role="status" data-testid="form-message">{state.message}</p>}
    </form>
  );
}
