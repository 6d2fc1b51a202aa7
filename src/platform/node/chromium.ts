/**
 * Headless Chromium for the browser path (e2e tests and `agnews train --browser`): Debian's
 * build driven by playwright-core, since Playwright cannot download its own browsers here.
 * With no GPU device on the machine, WebGPU runs on SwiftShader (Vulkan on the CPU).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { BackendError } from '../../core/util/errors';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new BackendError('Chromium not found: install Debian\'s "chromium" package (scripts/setup.sh does) or set CHROMIUM_PATH.');
  return found;
}

const hasGpu = () => existsSync('/dev/nvidia0') || existsSync('/dev/dri/renderD128');

export function chromiumArgs(): string[] {
  return [
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    ...(hasGpu() && !process.env.AGNEWS_FORCE_SWIFTSHADER ? [] : ['--use-webgpu-adapter=swiftshader']),
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs(), headless: true });
}
