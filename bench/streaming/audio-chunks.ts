/** PCM16 mono audio to stream: raw samples, no container. */
export interface StreamingAudio {
  readonly pcm: Uint8Array;
  readonly sampleRateHertz: number;
}

/** The audio cut into the chunk messages a stream sends, and where each chunk ends. */
export interface ChunkPlan {
  readonly chunks: readonly Uint8Array[];
  /** Samples of audio up to and including chunk i: what a result covering chunk i reports. */
  readonly endSamples: readonly number[];
  readonly samplesPerChunk: number;
  readonly audioSeconds: number;
}

/** At most this many chunks per stream: an hour of 1 ms chunks, far beyond any corpus clip. */
export const maxChunksPerStream = 3_600_000;

export function planChunks(audio: StreamingAudio, chunkMs: number): ChunkPlan {
  if (!(chunkMs > 0)) throw new RangeError('chunkMs must be > 0');
  if (!(audio.sampleRateHertz > 0)) throw new RangeError('sampleRateHertz must be > 0');
  if (audio.pcm.length === 0 || audio.pcm.length % 2 !== 0)
    throw new RangeError('audio must be a non-empty whole number of PCM16 samples');
  const samplesPerChunk = Math.max(1, Math.round((audio.sampleRateHertz * chunkMs) / 1000));
  const totalSamples = audio.pcm.length / 2;
  const count = Math.ceil(totalSamples / samplesPerChunk);
  if (count > maxChunksPerStream) throw new RangeError(`${count} chunks exceed ${maxChunksPerStream}`);
  const chunks: Uint8Array[] = [];
  const endSamples: number[] = [];
  for (let i = 0; i < count; i++) {
    const end = Math.min(totalSamples, (i + 1) * samplesPerChunk);
    chunks.push(audio.pcm.subarray(i * samplesPerChunk * 2, end * 2));
    endSamples.push(end);
  }
  return { chunks, endSamples, samplesPerChunk, audioSeconds: totalSamples / audio.sampleRateHertz };
}

/**
 * The chunk whose arrival completed the audio a result reports: the first chunk
 * whose end reaches `samples`. Results about no audio yet map to the first chunk.
 */
export function coveringChunk(plan: ChunkPlan, samples: number): number {
  if (samples <= 0) return 0;
  return Math.min(plan.chunks.length - 1, Math.ceil(samples / plan.samplesPerChunk) - 1);
}
