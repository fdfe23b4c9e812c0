import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Debian's Chromium (the `chromium` package), which .ci/run installs. */
export const CHROMIUM = '/usr/bin/chromium';

/** A real headless Chromium with a fresh profile, cut off from Google's background services. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/**
 * Launches Debian's Chromium headless in a fresh user-data directory (removed on close), with no
 * sandbox (CI runs as root), no GPU, no QUIC and none of the browser's own network traffic.
 */
export async function launchChromium(options: BrowserContextOptions = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'espresso-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
