// Builds the PocketSphinx addon (servers/engines/stt/sphinx/native) when this machine
// has the library and the model. It always exits 0: the sphinx engine is optional,
// reports itself unavailable when the addon is missing, and must never break `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'servers/engines/stt/sphinx/native');
const addon = join(nativeDir, 'build/Release/sphinx_addon.node');
const modelDir = '/usr/share/pocketsphinx/model/en-us';
const installCommand = 'apt-get install -y libpocketsphinx-dev pocketsphinx-en-us';

const say = (message) => console.log(`build-native: ${message}`);

function hasPocketsphinx() {
  const result = spawnSync('pkg-config', ['--exists', 'pocketsphinx'], { stdio: 'ignore' });
  return result.status === 0;
}

function hasModel() {
  return ['en-us/mdef', 'en-us.lm.bin', 'cmudict-en-us.dict'].every((file) =>
    existsSync(join(modelDir, file)),
  );
}

// The project's node-gyp first; npm's own when devDependencies were omitted.
function findNodeGyp() {
  const candidates = [join(root, 'node_modules/node-gyp/bin/node-gyp.js'), process.env.npm_config_node_gyp];
  return candidates.find((file) => file && existsSync(file));
}

// Node headers must come from this machine: without a nodedir, node-gyp downloads them.
function findNodeDir() {
  const fromEnv = process.env.npm_config_nodedir;
  if (fromEnv) return fromEnv;
  const npm = spawnSync('npm', ['config', 'get', 'nodedir'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const configured = npm.status === 0 ? npm.stdout.trim() : '';
  if (configured && configured !== 'undefined' && configured !== 'null') return configured;
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include/node/node_api.h')) ? prefix : undefined;
}

function lastLines(text, count) {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('gyp info'));
  return lines.slice(-count).join('\n');
}

function build() {
  if (!hasPocketsphinx() || !hasModel()) {
    say(
      `PocketSphinx not installed, sphinx engine skipped; to enable it: ${installCommand} && npm run build:native`,
    );
    return;
  }
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) {
    say('node-gyp not found (install devDependencies), sphinx engine skipped');
    return;
  }
  const nodeDir = findNodeDir();
  const args = [nodeGyp, 'rebuild', ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])];
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: nativeDir, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0 || !existsSync(addon)) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
    say(
      `building the sphinx addon failed (${result.error?.message ?? `exit ${result.status}`}); sphinx engine unavailable`,
    );
    console.log(lastLines(output, 25));
    return;
  }
  try {
    createRequire(import.meta.url)(addon);
  } catch (error) {
    say(`the sphinx addon was built but does not load: ${error.message}`);
    return;
  }
  say(`sphinx addon built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${addon}`);
}

try {
  build();
} catch (error) {
  say(`unexpected error, sphinx engine skipped: ${error?.stack ?? error}`);
}
process.exitCode = 0;
