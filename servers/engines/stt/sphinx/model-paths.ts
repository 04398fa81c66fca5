/** Where Debian's pocketsphinx-en-us puts the US English model. */
export interface SphinxModelPaths {
  /** Acoustic model directory. */
  readonly hmm: string;
  /** Language model. */
  readonly lm: string;
  /** Pronunciation dictionary. */
  readonly dict: string;
}

const enUsDir = '/usr/share/pocketsphinx/model/en-us';

export const defaultSphinxModel: SphinxModelPaths = {
  hmm: `${enUsDir}/en-us`,
  lm: `${enUsDir}/en-us.lm.bin`,
  dict: `${enUsDir}/cmudict-en-us.dict`,
};

export const sphinxInstallCommand = 'apt-get install -y libpocketsphinx-dev pocketsphinx-en-us';
export const sphinxBuildCommand = 'npm run build:native';
