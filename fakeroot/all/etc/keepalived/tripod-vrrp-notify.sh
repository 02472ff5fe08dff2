#!/bin/sh
# keepalived notify script (keepalived appends: TYPE NAME STATE PRIORITY). It runs inside the keepalived
# container, so it only appends one line to a journal in the host-mounted /etc/keepalived; the host-side
# tripod-vrrp-agent sends it to Tripod, retrying until delivered (a cut-off node's events arrive after the heal).
# One printf = one write(2) to an O_APPEND file, so concurrent notifies never interleave their lines.
printf '%s %s %s %s %s\n' "$(date +%s.%N)" "$1" "$2" "$3" "${4:--}" >>/etc/keepalived/tripod-vrrp-journal
