/**
 * `npm run bench -- NAME [args]`: runs bench/NAME.ts, which prints JSON lines (its own figures
 * and the peers' from ../shared/bench/peers.sh, run in the same process tree).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Files of bench/ that are shared code, not benchmarks. */
const HELPERS = ['run.ts', 'peers.ts', 'shared.ts', 'webgpu-addn.ts'];
const name = process.argv[2];
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !HELPERS.includes(f) && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(join(here, `${name}.ts`)) || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME [args]\nbenchmarks: ${available.join(', ')}\n`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(`./${name}.ts`);
