import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultSphinxModel,
  type SphinxModelPaths,
  sphinxBuildCommand,
  sphinxInstallCommand,
} from './model-paths.js';
import { addonPath, loadSphinxAddon } from './native-binding.js';

export type SphinxAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string; readonly installCommand: string };

function unavailable(reason: string, installCommand: string): SphinxAvailability {
  return { available: false, reason, installCommand };
}

function hasPocketsphinxDev(): boolean {
  const result = spawnSync('pkg-config', ['--exists', 'pocketsphinx'], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Whether the sphinx engine can start here: model files, built addon, and a
 * loadable libpocketsphinx. Cheap and synchronous, so it can decide at start-up.
 */
export function checkSphinxAvailability(model: SphinxModelPaths = defaultSphinxModel): SphinxAvailability {
  const modelFiles = [join(model.hmm, 'mdef'), join(model.hmm, 'means'), model.lm, model.dict];
  const missing = modelFiles.find((file) => !existsSync(file));
  if (missing !== undefined) {
    return unavailable(
      `the pocketsphinx model is not installed (${missing} is missing)`,
      sphinxInstallCommand,
    );
  }
  if (!existsSync(addonPath)) {
    return hasPocketsphinxDev()
      ? unavailable('the native sphinx addon has not been built', sphinxBuildCommand)
      : unavailable(
          'libpocketsphinx-dev is not installed, so the native sphinx addon was not built',
          `${sphinxInstallCommand} && ${sphinxBuildCommand}`,
        );
  }
  try {
    loadSphinxAddon();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return unavailable(
      `the native sphinx addon does not load (${message})`,
      `${sphinxInstallCommand} && ${sphinxBuildCommand}`,
    );
  }
  return { available: true };
}
