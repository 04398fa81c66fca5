import type { ReferenceClip } from '../../servers/engines/stt/reference/reference-engine.js';
import { loadManifest, readClipSamples } from './manifest.js';
import { audioSizes, sizedClip } from './sized-payloads.js';

/** The corpus as the reference engine knows it: each clip's text and samples, and the sized clips of sweeps. */
export function loadReferenceClips(): ReferenceClip[] {
  const manifest = loadManifest();
  const audio = (samples: Int16Array) => ({ samples, sampleRateHertz: manifest.sampleRateHertz });
  return [
    ...manifest.clips.map((clip) => ({ text: clip.text, audio: audio(readClipSamples(clip)) })),
    ...audioSizes
      .map((size) => sizedClip(size))
      .map((clip) => ({ text: clip.text, audio: audio(clip.samples) })),
  ];
}
