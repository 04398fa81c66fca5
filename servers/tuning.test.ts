import { once } from 'node:events';
import { type ClientHttp2Session, connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceClips } from '../bench/corpus/reference-clips.js';
import { defaultLimits } from './core/limits.js';
import type { RunningServer } from './grpc/grpc-server.js';
import type { ServerProtocol } from './server-protocols.js';
import { createSpeechRuntime, type SpeechRuntime } from './speech-runtime.js';
import { startServer } from './start-serving.js';
import {
  http2WindowsOf,
  tunedConnectionWindowBytes,
  tunedStreamWindowBytes,
  tuningSettings,
} from './tuning.js';

let runtime: SpeechRuntime;
beforeAll(async () => {
  runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
});
afterAll(() => runtime.close());

/** The windows a server gives a client: its SETTINGS_INITIAL_WINDOW_SIZE and the connection window. */
async function windowsOffered(
  protocol: ServerProtocol,
  tuned: boolean,
): Promise<{ stream: number; connection: number }> {
  const windows = http2WindowsOf(tuned ? 'tuned' : 'default');
  const server: RunningServer = await startServer(protocol, {
    service: runtime.service,
    host: '127.0.0.1',
    port: 0,
    ...(windows ? { http2Windows: windows } : {}),
  });
  const session: ClientHttp2Session = connect(`http://127.0.0.1:${server.port}`);
  try {
    await once(session, 'remoteSettings');
    // The connection window's WINDOW_UPDATE follows the SETTINGS; a ping round trip lets it arrive.
    await new Promise<void>((resolve) => session.ping(() => resolve()));
    return {
      stream: session.remoteSettings.initialWindowSize!,
      connection: session.state.remoteWindowSize!,
    };
  } finally {
    session.destroy();
    await server.close();
  }
}

describe('tuning', () => {
  it.each(['connect', 'rest-h2'] as const)(
    'tuned raises the %s server’s stream and connection windows',
    async (protocol) => {
      expect(await windowsOffered(protocol, false)).toEqual({ stream: 65_535, connection: 65_535 });
      expect(await windowsOffered(protocol, true)).toEqual({
        stream: tunedStreamWindowBytes,
        connection: tunedConnectionWindowBytes,
      });
    },
  );

  it('the grpc-js server keeps 64 KiB windows under tuned, and the settings say so', async () => {
    expect(await windowsOffered('grpc', true)).toEqual({ stream: 65_535, connection: 65_535 });
    const grpc = tuningSettings('tuned').find((setting) => setting.where.startsWith('grpc-js server'));
    expect(grpc?.value).toBeNull();
    expect(grpc?.note).toMatch(/cannot be raised/);
  });
});
