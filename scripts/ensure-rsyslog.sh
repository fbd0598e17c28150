#!/usr/bin/env bash
# Makes sure rsyslogd (Debian's rsyslog package) is installed: the audit trail's syslog sink is tested
# end to end against it (agent/src/test/java/dev/moat/agent/it/RsyslogIT.java). Installs it with apt-get
# when it is missing (as root, or through sudo without a password). Exits non-zero, saying why, if it
# cannot. Prints the path of rsyslogd on success.
set -euo pipefail

find_rsyslogd() {
  command -v rsyslogd 2>/dev/null && return 0
  for p in /usr/sbin/rsyslogd /sbin/rsyslogd; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

if path=$(find_rsyslogd); then
  echo "$path"
  exit 0
fi

if [ "$(id -u)" = "0" ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-rsyslog: rsyslogd is not installed and this user cannot install packages (not root, no" \
       "password-less sudo). Install it once with: sudo apt-get install -y rsyslog" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-rsyslog: rsyslogd is not installed and apt-get is not available (not a Debian/Ubuntu system)." \
       "Install rsyslog with this system's package manager." >&2
  exit 1
fi

echo "ensure-rsyslog: installing rsyslog with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update -qq >&2; then
  echo "ensure-rsyslog: 'apt-get update' failed (no network access to the package mirrors?)" >&2
  exit 1
fi
# --no-install-recommends: only the daemon, not logrotate and friends. Installing does not need the
# daemon to run (in a container without an init system, invoke-rc.d just skips starting it).
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends rsyslog >&2; then
  echo "ensure-rsyslog: 'apt-get install rsyslog' failed" >&2
  exit 1
fi

if path=$(find_rsyslogd); then
  echo "$path"
  exit 0
fi
echo "ensure-rsyslog: rsyslog was installed but rsyslogd cannot be found" >&2
exit 1
