/** The adapter description both platforms report (Dawn in Node and Chromium share the shape). */
import type { BackendInfo } from '../core/experiment/result';

export function describeAdapter(adapter: GPUAdapter): NonNullable<BackendInfo['adapter']> {
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description || info.device,
    isSwiftShader: /swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.description}`),
  };
}
