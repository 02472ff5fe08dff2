/** The compute endpoint itself (…/v2.1) answers with its version document. */
export const versionUrl = () => "/";
