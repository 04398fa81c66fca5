/**
 * Headless Chromium from the system's packages (Debian's `chromium`), driven by
 * playwright-core: nothing downloaded. Where it is missing, the browser family is
 * skipped with the command that installs it.
 */
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Why the browser family cannot run here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  return existsSync(chromiumPath)
    ? undefined
    : `no Chromium at ${chromiumPath} (install it with: sudo apt-get install -y chromium, or set CHROMIUM_PATH)`;
}
