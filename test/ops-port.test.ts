import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { COMPILED_BUILD_ENV } from '@paperboy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Starts an ops server in its own process, as worker and mailer do, and collects how it ends. */
function startOpsServerProcess(
  port: number,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const script = `
    import { startOpsServer } from '@paperboy/runtime';
    import { Registry } from 'prom-client';
    const server = await startOpsServer({ host: '127.0.0.1', port: ${port}, portVariable: 'WORKER_METRICS_PORT', registry: new Registry(), isReady: async () => true });
    console.log(JSON.stringify({ listening: server.port }));
    await server.close();`;
  // The compiled @paperboy/runtime, as the services run it in the image: no tsx to load first.
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, ...COMPILED_BUILD_ENV },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, stdout })));
}

describe('ops server ports', () => {
  let taken: Server;
  let takenPort: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('says in one JSON line which port is in use and exits 1, without a stack trace', async () => {
    const { code, stderr } = await startOpsServerProcess(takenPort);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: string; code: string; port: number; msg: string };
    expect(line).toMatchObject({ level: 'fatal', code: 'EADDRINUSE', port: takenPort });
    expect(line.msg).toContain(`127.0.0.1:${takenPort} is in use`);
    expect(line.msg).toContain('set WORKER_METRICS_PORT to a free port, or 0 for any free port');
  });

  it('takes any free port when given 0, so replicas on one host network never collide', async () => {
    const runs = await Promise.all([startOpsServerProcess(0), startOpsServerProcess(0)]);
    for (const { code, stdout } of runs) {
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { listening: number }).listening).toBeGreaterThan(0);
    }
  });
});
