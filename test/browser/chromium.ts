/**
 * Real Chromium for the page tests: Debian's /usr/bin/chromium driven by playwright-core (never a
 * downloaded browser). Without it the tests skip with a note on a developer's machine and fail in CI
 * (.ci/run installs it), so the suite cannot pass by running nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { isCi } from '../support/external-data';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumMode(env: NodeJS.ProcessEnv = process.env): {
  mode: 'run' | 'skip' | 'fail';
  note: string;
} {
  if (fs.existsSync(CHROMIUM)) return { mode: 'run', note: '' };
  const absent = `${CHROMIUM} is absent (apt-get install -y chromium)`;
  return isCi(env)
    ? { mode: 'fail', note: `browser tests cannot run in CI: ${absent}` }
    : { mode: 'skip', note: `browser tests skipped: ${absent}` };
}

/** A headless Chromium with a fresh profile and no background network; close() removes the profile. */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  profile: string;
  close(): Promise<void>;
}> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1600, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go (git-ignored), for people to look at. */
export const SCREENSHOTS = path.join(__dirname, '..', '.screenshots');
