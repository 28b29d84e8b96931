// The image's HEALTHCHECK: asks the service running in this container for /healthz. The port is
// found, not configured: api, worker and mailer each listen on one port, and under host networking
// (compose CI, several replicas on one machine) that port may be 0 = "any free one". So: find the
// node processes running a compiled service, their listening sockets, and probe those ports.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of safe(() => readdirSync(`/proc/${pid}/fd`), [])) {
    const match = /^socket:\[(\d+)\]$/.exec(safe(() => readlinkSync(`/proc/${pid}/fd/${fd}`), ''));
    if (match) inodes.add(match[1]);
  }
  const ports = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of safe(() => readFileSync(`/proc/${pid}/net/${table}`, 'utf8'), '')
      .split('\n')
      .slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl local_address rem_address st ... inode (index 9); st 0A = LISTEN
      if (fields[3] === '0A' && inodes.has(fields[9]))
        ports.push(Number.parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

function safe(read, fallback) {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const services = readdirSync('/proc')
  .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
  .filter((pid) =>
    /services\/\w+\/dist\/main\.js/.test(safe(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8'), '')),
  );
const ports = [...new Set(services.flatMap(listeningPorts))];

for (const port of ports) {
  const healthy = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (healthy) process.exit(0);
}
process.stderr.write(
  `unhealthy: no /healthz answered (service processes: ${services.length}, ports: ${ports.join(',') || 'none'})\n`,
);
process.exit(1);
