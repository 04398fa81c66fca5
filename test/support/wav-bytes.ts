/** Builds a canonical 44-byte-header PCM WAV, or a deliberately wrong one, for tests. */
export function wavBytes(
  samples: Int16Array,
  format: { sampleRateHertz?: number; channels?: number; bitsPerSample?: number; audioFormat?: number } = {},
): Buffer {
  const rate = format.sampleRateHertz ?? 16_000;
  const channels = format.channels ?? 1;
  const bits = format.bitsPerSample ?? 16;
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format.audioFormat ?? 1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * channels * bits) / 8, 28);
  header.writeUInt16LE((channels * bits) / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A deterministic tone, so tests need no corpus. */
export function tone(seconds: number, rate = 16_000): Int16Array {
  const samples = new Int16Array(Math.round(seconds * rate));
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return samples;
}
