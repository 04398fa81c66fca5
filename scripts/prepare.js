// Runs on `npm ci`/`npm install`: builds what the project makes for itself once,
// so that servers start fast. Each step reports and never fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['native PocketSphinx binding', [process.execPath, 'scripts/build-native.js']],
  ['word-embedding table', [process.execPath, '--import', 'tsx', 'scripts/build-embeddings.ts']],
];

for (const [name, [command, ...args]] of steps) {
  const script = args.at(-1);
  if (!existsSync(script)) continue;
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`prepare: building the ${name} failed; it will be built on first use\n`);
  }
}
