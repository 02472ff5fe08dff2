/** GET: the projects the token's user may scope to (their role assignments, direct or through groups). */
export const authProjectsUrl = () => "/auth/projects";
