/**
 * The page's Hub base URL setting, kept in localStorage and sent to the worker whenever one
 * starts (lab-client.ts) and when it changes, so Hub downloads, cached bases and reopened runs
 * all read from the same Hub.
 */
import { DEFAULT_HUB_URL } from '../../../core/storage/asset-store';

export { DEFAULT_HUB_URL };
const KEY = 'agnews-lab-hub-url';

export function storedHubUrl(): string {
  try {
    return localStorage.getItem(KEY) || DEFAULT_HUB_URL;
  } catch {
    return DEFAULT_HUB_URL;
  }
}

export function storeHubUrl(url: string): void {
  if (url === DEFAULT_HUB_URL) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, url);
}
