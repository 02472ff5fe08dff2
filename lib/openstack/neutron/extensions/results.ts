export interface Extension {
  alias: string;
  name: string;
}

/** What Tripod's VIP design needs from Neutron, read from the extension aliases. */
export interface NetworkCapabilities {
  portSecurity: boolean;
  allowedAddressPairs: boolean;
  /** Tags on ports, networks, security groups… and the tag filters. */
  tagging: boolean;
  /** Ports take `tags` in their POST (single and bulk): no tag PUT after a create. */
  tagPortsDuringBulkCreation: boolean;
  quotaDetails: boolean;
  /** Distributed routers exist on this cloud: VRRP gratuitous ARPs for allowed-address pairs may not leave the node. */
  dvr: boolean;
}

export function toCapabilities(aliases: ReadonlySet<string>): NetworkCapabilities {
  return {
    portSecurity: aliases.has("port-security"),
    allowedAddressPairs: aliases.has("allowed-address-pairs"),
    tagging: aliases.has("standard-attr-tag") || aliases.has("tag"),
    tagPortsDuringBulkCreation: aliases.has("tag-ports-during-bulk-creation"),
    quotaDetails: aliases.has("quota_details"),
    dvr: aliases.has("dvr"),
  };
}
