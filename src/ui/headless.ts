/**
 * Entry for `agnews train --browser`: exposes the same worker the page uses, so a headless
 * run takes exactly the page's path (Web Worker, IndexedDB, WebGPU).
 */
import * as Comlink from 'comlink';
import type { Lab } from '../core/lab/lab';
import { lab } from './lab-client';

declare global {
  interface Window {
    agnewsHeadless: { lab: Comlink.Remote<Lab>; proxy: typeof Comlink.proxy };
  }
}

window.agnewsHeadless = { lab: lab() as unknown as Comlink.Remote<Lab>, proxy: Comlink.proxy };
