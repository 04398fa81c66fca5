import type { ReferenceClip } from '../../servers/engines/stt/reference/reference-engine.js';
import { loadManifest, readClipSamples } from './manifest.js';

/** The corpus as the reference engine knows it: each clip's text and samples. */
export function loadReferenceClips(): ReferenceClip[] {
  const manifest = loadManifest();
  return manifest.clips.map((clip) => ({
    text: clip.text,
    audio: { samples: readClipSamples(clip), sampleRateHertz: manifest.sampleRateHertz },
  }));
}
