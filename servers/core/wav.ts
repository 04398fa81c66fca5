import { invalidArgument } from './service-error.js';

export interface WavFormat {
  readonly audioFormat: number;
  readonly channels: number;
  readonly sampleRateHertz: number;
  readonly bitsPerSample: number;
}

export interface WavLayout {
  readonly format: WavFormat;
  /** Offset of the first sample byte. */
  readonly dataOffset: number;
  readonly dataBytes: number;
}

const pcmFormat = 1;
const extensibleFormat = 0xfffe;

function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}

/**
 * Finds the `fmt ` and `data` chunks of a RIFF/WAVE file. Returns `undefined` while
 * `complete` is false and the header has not fully arrived (streaming), and throws
 * INVALID_ARGUMENT for anything that is not a well-formed WAV header.
 */
export function parseWavLayout(bytes: Uint8Array, complete: boolean): WavLayout | undefined {
  const needMore = (): undefined => {
    if (complete) throw invalidArgument('audio is not a complete WAV file: the header is truncated');
    return undefined;
  };
  if (bytes.length < 12) {
    if (bytes.length >= 4 && fourCC(bytes, 0) !== 'RIFF') throw notWav();
    return needMore();
  }
  if (fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') throw notWav();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: WavFormat | undefined;
  let offset = 12;
  while (true) {
    if (offset + 8 > bytes.length) return needMore();
    const id = fourCC(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) throw invalidArgument(`WAV fmt chunk is ${size} bytes; at least 16 expected`);
      if (body + 16 > bytes.length) return needMore();
      format = readFormat(view, body, size);
    } else if (id === 'data') {
      if (!format) throw invalidArgument('WAV data chunk comes before its fmt chunk');
      checkFormat(format);
      if (complete && body + size > bytes.length) {
        throw invalidArgument(
          `WAV data chunk declares ${size} bytes but only ${bytes.length - body} are present (truncated file?)`,
        );
      }
      return { format, dataOffset: body, dataBytes: size };
    }
    // RIFF chunks are padded to an even size.
    offset = body + size + (size % 2);
  }
}

function readFormat(view: DataView, body: number, size: number): WavFormat {
  let audioFormat = view.getUint16(body, true);
  if (audioFormat === extensibleFormat && size >= 40) {
    // The sub-format GUID starts with the plain format code.
    audioFormat = view.getUint16(body + 24, true);
  }
  return {
    audioFormat,
    channels: view.getUint16(body + 2, true),
    sampleRateHertz: view.getUint32(body + 4, true),
    bitsPerSample: view.getUint16(body + 14, true),
  };
}

function checkFormat(format: WavFormat): void {
  const problems: string[] = [];
  if (format.audioFormat !== pcmFormat) problems.push(`format code ${format.audioFormat} is not PCM (1)`);
  if (format.channels !== 1) problems.push(`${format.channels} channels; mono (1) expected`);
  if (format.bitsPerSample !== 16) problems.push(`${format.bitsPerSample} bits per sample; 16 expected`);
  if (problems.length > 0) {
    throw invalidArgument(`unsupported WAV audio: ${problems.join('; ')}. Convert it to 16-bit mono PCM.`);
  }
}

function notWav() {
  return invalidArgument(
    'audio is not a WAV file (no RIFF/WAVE header); send WAV, or LINEAR16 with its sample rate',
  );
}
