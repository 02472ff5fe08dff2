export const limitsUrl = () => "/limits";
