import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The runner as a user starts it: through npx, which reads the project's .npmrc. A setting npm
 * does not know there (onnxruntime-node's install switch, for one) warns on every command.
 */
describe('npx agnews', () => {
  it('prints its help with nothing from npm on stderr', () => {
    const r = spawnSync('npx', ['agnews', '--help'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: agnews/);
    expect(r.stderr).not.toMatch(/npm warn/i);
  });
});
