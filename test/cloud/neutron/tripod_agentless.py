"""Agentless ML2 mechanism driver for Tripod's local test cloud.

Every in-tree driver (openvswitch, linuxbridge, macvtap) binds a port only when
an alive L2 agent reports from the port's host, and OVN needs its databases.
The local cloud has no data plane at all (Nova runs the fake virt driver), so
this driver binds every port on every host to the first segment offered, as
vif_type 'ovs', and marks it ACTIVE at once. That is all Nova needs to boot a
server on a pre-created port.

Loaded by neutron-server through the stevedore entry point `tripod_agentless`
(configure.sh writes the dist-info next to this file).
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class AgentlessMechanismDriver(api.MechanismDriver):

    def initialize(self):
        pass

    @property
    def connectivity(self):
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True,
                                 portbindings.OVS_HYBRID_PLUG: False},
                                status=constants.PORT_STATUS_ACTIVE)
            return
