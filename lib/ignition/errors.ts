// Typed errors of the generator; callers branch on the class (or `code`), never on message text.
// Each names what the operator has to fix: a template file, a config path, or a size.

export class TemplateError extends Error {
  readonly name = "TemplateError";
  constructor(
    /** The fakeroot file, relative to the fakeroot directory (e.g. `all/etc/keepalived.conf.hbs`). */
    readonly template: string,
    readonly detail: string,
  ) {
    super(`${template}: ${detail}`);
  }
}

export type ConfigProblem = { path: string; message: string; template?: string };

/** The generated (merged) config breaks an Ignition rule; each problem names the config path and its template. */
export class InvalidGeneratedConfigError extends Error {
  readonly name = "InvalidGeneratedConfigError";
  constructor(
    readonly node: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `${node}: ${problems
        .map((p) => `${p.path}${p.template ? ` (from ${p.template})` : ""}: ${p.message}`)
        .join("; ")}`,
    );
  }
}

/** Nova checks user_data after base64 encoding against 65,535 bytes. */
export class UserDataTooLargeError extends Error {
  readonly name = "UserDataTooLargeError";
  constructor(
    readonly what: string,
    readonly base64Bytes: number,
    readonly limit: number,
  ) {
    super(`${what} is ${base64Bytes} bytes as base64 user data, over Nova's limit of ${limit}`);
  }
}

/** The render input (VRRP ids, auth_pass, agent settings) is unusable; `path` names the field. */
export class InvalidRenderInputError extends Error {
  readonly name = "InvalidRenderInputError";
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  }
}

/** A base config that is not Ignition spec 3.x (2.x is what RHCOS 4.6+ no longer boots). */
export class UnsupportedIgnitionVersionError extends Error {
  readonly name = "UnsupportedIgnitionVersionError";
  constructor(readonly version: string) {
    super(`ignition.version ${version} is not supported: the base config must be Ignition spec 3.x`);
  }
}
