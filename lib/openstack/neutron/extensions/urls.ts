export const extensionsUrl = () => "/v2.0/extensions";
