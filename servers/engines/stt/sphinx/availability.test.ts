import { describe, expect, it } from 'vitest';
import { checkSphinxAvailability } from './availability.js';

describe('checkSphinxAvailability', () => {
  it('names the missing model file and the command that installs it', () => {
    const model = { hmm: '/nonexistent/en-us', lm: '/nonexistent/en-us.lm.bin', dict: '/nonexistent/x.dict' };
    expect(checkSphinxAvailability(model)).toEqual({
      available: false,
      reason: 'the pocketsphinx model is not installed (/nonexistent/en-us/mdef is missing)',
      installCommand: 'apt-get install -y libpocketsphinx-dev pocketsphinx-en-us',
    });
  });

  it('gives a reason and a command whenever it says no', () => {
    const result = checkSphinxAvailability();
    if (!result.available) {
      expect(result.reason).not.toBe('');
      expect(result.installCommand).toMatch(/apt-get install|npm run build:native/);
    }
  });
});
