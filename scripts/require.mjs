// Guard for root scripts whose part of the project may not exist yet:
// fail loudly with a message instead of pretending to work.
import { existsSync } from 'node:fs';

const [path, script] = process.argv.slice(2);
if (!path || !existsSync(new URL(`../${path}`, import.meta.url))) {
  console.error(`pnpm ${script}: ${path} does not exist yet, so there is nothing to run.`);
  process.exit(1);
}
