import type { ClipKind } from '../corpus/manifest.js';
import type { Payload } from './suite.js';

/**
 * The corpus clip a payload name stands for: a kind's first clip, or one clip by id.
 * `long30s` is the 30 s note (960 KB at 16 kHz, 16-bit), the upload of issue 16's
 * network measurements; `long` stays the first long clip (20 s) that earlier results used.
 */
export function clipChoiceOf(payload: Payload): { clipKind?: ClipKind; clipId?: string } {
  if (payload === 'command') return {};
  if (payload === 'long30s') return { clipId: 'long-30s-note-rms' };
  return { clipKind: payload };
}
