import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { PortalApp } from '../../src/app.ts';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install it with "apt-get install -y chromium" (.ci/run does).`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** Listens on a free loopback port and returns the base URL and a closer. */
export async function listen(portal: PortalApp): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const started = portal.app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A seeded test database, the portal listening on loopback with its own upload folder, and Chromium. */
export async function startBrowserPortal(config: Record<string, string> = {}) {
  const { createTestDatabase } = await import('./test-database.ts');
  const { buildTestApp } = await import('./test-app.ts');
  const os = await import('node:os');
  const path = await import('node:path');
  const database = await createTestDatabase({ seed: 'demo' });
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhas-browser-'));
  const portal = await buildTestApp(database, { UPLOAD_DIR: uploadDir, ...config });
  const server = await listen(portal);
  const browser = await launchChromium();
  return {
    database,
    portal,
    browser,
    uploadDir,
    baseUrl: server.baseUrl,
    async close() {
      await browser.close();
      await server.close();
      await portal.stop();
      await database.close();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}
export type BrowserPortal = Awaited<ReturnType<typeof startBrowserPortal>>;

/**
 * One browser portal for a test file: started before its tests, closed after them. The returned
 * object is filled in by beforeAll, so read its fields inside the tests.
 */
export function useBrowserPortal(config: Record<string, string> = {}): BrowserPortal {
  const running = {} as BrowserPortal;
  beforeAll(async () => {
    Object.assign(running, await startBrowserPortal(config));
  });
  afterAll(async () => {
    await running.close?.();
  });
  return running;
}

/** On a phone the navigation and the display controls sit behind «Меню» (public/js/phone-menu.js): opens it when folded. */
export async function openPhoneMenu(page: Page): Promise<void> {
  // phone-menu.js runs with the deferred scripts: only then is the menu folded and its button shown.
  await page.waitForLoadState('load');
  const toggle = page.locator('.menu-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}

/** A page on a 375-px phone (the narrowest the portal is made for), in a context of its own. */
export async function newPhonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  return context.newPage();
}
