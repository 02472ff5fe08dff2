"use client";

import { useState } from "react";

/** The credential part of the cloud form: a Keystone password or an application credential (write-only fields). */
export function CredentialFields() {
  const [type, setType] = useState("password");
  return (
    <>
      <label>
        Credentials
        <select name="credentialType" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="password">Password</option>
          <option value="application_credential">Application credential</option>
        </select>
      </label>
      {type === "password" ? (
        <>
          <label>
            User name
            <input name="username" autoComplete="off" />
          </label>
          <label>
            Password
            <input name="password" type="password" autoComplete="new-password" />
          </label>
          <label>
            User domain
            <input name="userDomainName" defaultValue="Default" />
          </label>
          <label>
            Project name
            <input name="projectName" autoComplete="off" />
          </label>
          <label>
            Project domain
            <input name="projectDomainName" defaultValue="Default" />
          </label>
        </>
      ) : (
        <>
          <label>
            Application credential id
            <input name="applicationCredentialId" autoComplete="off" />
          </label>
          <label>
            Application credential secret
            <input name="applicationCredentialSecret" type="password" autoComplete="new-password" />
          </label>
        </>
      )}
    </>
  );
}

/** The whole cloud form: from fields, or from an uploaded clouds.yaml entry. */
export function CloudFields() {
  const [from, setFrom] = useState("form");
  return (
    <>
      <label>
        Name in Tripod
        <input name="name" autoComplete="off" required />
      </label>
      <label>
        Register from
        <select value={from} onChange={(e) => setFrom(e.target.value)} aria-label="Register from">
          <option value="form">These fields</option>
          <option value="yaml">An uploaded clouds.yaml</option>
        </select>
      </label>
      {from === "form" ? (
        <>
          <label>
            Keystone URL
            <input name="authUrl" placeholder="https://keystone.example.com:5000/v3" autoComplete="off" />
          </label>
          <label>
            Region
            <input name="region" autoComplete="off" />
          </label>
          <label>
            Interface
            <select name="interface" defaultValue="public">
              <option>public</option>
              <option>internal</option>
              <option>admin</option>
            </select>
          </label>
          <CredentialFields />
        </>
      ) : (
        <>
          <label>
            clouds.yaml
            <input name="cloudsYaml" type="file" accept=".yaml,.yml,.json" />
          </label>
          <label>
            Cloud entry (when the file has several)
            <input name="cloud" autoComplete="off" />
          </label>
        </>
      )}
      <label>
        CA bundle (PEM, optional)
        <textarea name="caBundle" rows={3} spellCheck={false} />
      </label>
    </>
  );
}
