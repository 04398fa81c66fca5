import { checkSphinxAvailability } from '../../servers/engines/stt/sphinx/availability.js';

const availability = checkSphinxAvailability();

/** Tests of the real recognizer run where its packages are installed (CI installs them). */
export const sphinxMissing = !availability.available;

if (!availability.available) {
  process.stderr.write(
    `skipping PocketSphinx tests: ${availability.reason}. Install with: ${availability.installCommand}\n`,
  );
}
