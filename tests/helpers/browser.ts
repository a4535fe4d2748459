import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Where tests save screenshots (gitignored). */
export const ARTIFACTS_DIR = path.resolve(__dirname, "../../test-artifacts");

/**
 * Why browser tests cannot run here, or `undefined` when they can. They are skipped only when
 * Chromium is absent and `CI` is not set: in CI, a missing browser fails the tests.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH) || process.env.CI !== undefined) return undefined;
  return `${CHROMIUM_PATH} is absent: install Debian's chromium package (apt-get install chromium) to run the browser tests`;
}

/** Starts headless Chromium with the flags that keep it quiet and offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The path of an artifact file under `test-artifacts/<folder>/`, the folder made if needed. */
export function artifactPath(folder: string, file: string): string {
  const dir = path.join(ARTIFACTS_DIR, folder);
  mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
}
