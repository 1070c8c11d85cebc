// Starts `jifen serve --demo` on a free loopback port with a fresh database, and a headless
// Debian Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const root = new URL('../../', import.meta.url).pathname;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function startServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jifen-e2e-'));
  const db = join(dir, 'demo.db');
  const proc = spawn(`${root}target/debug/jifen`, ['serve', '--demo', '--db', db, '--addr', `127.0.0.1:${port}`, '--root', root], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/api/program`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Stopping waits for the server to exit, then removes its database with the directory.
  const exited = new Promise((resolve) => { proc.once('exit', resolve); proc.once('error', resolve); });
  return {
    url,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Text of the widget's shadow root. */
export async function widgetText(page) {
  return page.evaluate(() => document.getElementById('points').shadowRoot.textContent);
}

export async function totalPoints(page) {
  return page.evaluate(() => document.getElementById('points').shadowRoot.querySelector('[data-testid=total-points]')?.textContent ?? '');
}
