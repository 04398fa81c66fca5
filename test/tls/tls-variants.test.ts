/**
 * TLS and mTLS on every server variant, through the project's clients and its transport
 * drivers: a good certificate works; no client certificate (under mTLS), a server
 * certificate from a CA the client does not trust, and expired certificates on either
 * side, and a plaintext server, fail with UNAVAILABLE and a message that names the TLS problem.
 * Certificates are made once for the file (RSA key generation is the slow part).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { loadManifest } from '../../bench/corpus/manifest.js';
import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import type { Driver } from '../../bench/drivers/driver.js';
import { GrpcH2Driver } from '../../bench/drivers/grpc-h2-driver.js';
import { buildRequestPayload } from '../../bench/drivers/request-payloads.js';
import { RestH1Driver } from '../../bench/drivers/rest-h1-driver.js';
import { RestH2Driver } from '../../bench/drivers/rest-h2-driver.js';
import { clipAudio } from '../../bench/streaming/clip-audio.js';
import { runStreamingScenario } from '../../bench/streaming/run-streaming-scenario.js';
import type { ClientTls } from '../../clients/client-tls.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { ServiceError } from '../../servers/core/service-error.js';
import type { RunningServer } from '../../servers/grpc/grpc-server.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { createSpeechRuntime, type SpeechRuntime } from '../../servers/speech-runtime.js';
import { startServer } from '../../servers/start-serving.js';
import type { ServerTls } from '../../servers/tls/server-tls.js';
import {
  createCa,
  createThrowawayPki,
  issueCertificate,
  type PemPair,
  type ThrowawayPki,
} from '../../servers/tls/throwaway-certificates.js';

const host = '127.0.0.1';
const variants: readonly ServerProtocol[] = ['grpc', 'connect', 'rest', 'rest-h2'];
const payload = buildRequestPayload({ rpc: 'classify' });

let runtime: SpeechRuntime;
let pki: ThrowawayPki;
let wrongCa: PemPair;
let expiredClient: PemPair;
const servers: RunningServer[] = [];
/** Per variant: a server requiring client certificates, and one whose own certificate has expired. */
const mtlsPort = new Map<ServerProtocol, number>();
const expiredPort = new Map<ServerProtocol, number>();
const plainPort = new Map<ServerProtocol, number>();

/** `tls` undefined: a plaintext server (h2c for the HTTP/2 ones). */
function start(protocol: ServerProtocol, tls: ServerTls | undefined): Promise<RunningServer> {
  return startServer(protocol, { service: runtime.service, host, port: 0, tls });
}

beforeAll(async () => {
  runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
  pki = createThrowawayPki();
  wrongCa = createCa('some other CA');
  expiredClient = issueCertificate(pki.ca, { commonName: 'old client', role: 'client', expiredDaysAgo: 2 });
  const expiredServer = issueCertificate(pki.ca, {
    commonName: 'localhost',
    role: 'server',
    expiredDaysAgo: 2,
  });
  for (const protocol of variants) {
    const mtls = await start(protocol, { ...pki.server, ca: pki.ca.cert, mtls: true });
    const expired = await start(protocol, { ...expiredServer, ca: pki.ca.cert, mtls: false });
    const plain = await start(protocol, undefined);
    servers.push(mtls, expired, plain);
    plainPort.set(protocol, plain.port);
    mtlsPort.set(protocol, mtls.port);
    expiredPort.set(protocol, expired.port);
  }
}, 30_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await runtime?.close();
});

/** One GetServerInfo call through the variant's client library (rest-h2 has none: the driver below covers it). */
async function clientCall(
  protocol: ServerProtocol,
  port: number,
  tls: ClientTls,
): Promise<ServiceError | 'ok'> {
  const client =
    protocol === 'rest'
      ? new RestSpeechClient({ host, port, tls })
      : new GrpcSpeechClient({ host, port, tls });
  try {
    await client.serverInfo({ deadlineMs: 5_000 });
    return 'ok';
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  } finally {
    client.close();
  }
}

function driverOf(protocol: ServerProtocol, port: number, tls: ClientTls): Driver {
  const options = { host, port, payload, tls, timeoutMs: 5_000 };
  if (protocol === 'rest') return new RestH1Driver(options);
  if (protocol === 'rest-h2') return new RestH2Driver(options);
  return new GrpcH2Driver(options);
}

/** Connects one driver connection and sends one classify: 'ok', or why the connection failed. */
async function driverCall(protocol: ServerProtocol, port: number, tls: ClientTls): Promise<string> {
  const driver = driverOf(protocol, port, tls);
  try {
    const [connection] = await driver.connect({ connections: 1, inFlightPerConnection: 1 });
    const outcome = await connection!.send();
    if (outcome.kind === 'ok') return 'ok';
    // Under TLS 1.3 the client's handshake is done before the server has judged the
    // client's certificate: the refusal then arrives with the first request, which gets
    // a code, and the reason goes to the driver's notes.
    const notes = (driver as RestH1Driver).checks.problems.join('; ');
    return `${outcome.kind === 'failed' ? outcome.code : outcome.kind}: ${notes}`;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await driver.close();
  }
}

const good = (): ClientTls => ({ ca: pki.ca.cert, ...pki.client });
const cases: readonly {
  name: string;
  port: (protocol: ServerProtocol) => number;
  tls: () => ClientTls;
  reason: RegExp;
}[] = [
  {
    name: 'no client certificate under mTLS',
    port: (protocol) => mtlsPort.get(protocol)!,
    tls: () => ({ ca: pki.ca.cert }),
    // The alert `certificate required` names it; when the close wins the race, the refusal does.
    reason:
      /requires a client certificate|certificate required|refuses a client certificate that is missing/i,
  },
  {
    name: 'a server certificate from a CA the client does not trust',
    port: (protocol) => mtlsPort.get(protocol)!,
    tls: () => ({ ...good(), ca: wrongCa.cert }),
    reason:
      /self[- ]signed certificate in certificate chain|CA this client does not trust|SELF_SIGNED_CERT_IN_CHAIN/i,
  },
  {
    name: 'an expired server certificate',
    port: (protocol) => expiredPort.get(protocol)!,
    tls: good,
    reason: /certificate has expired|CERT_HAS_EXPIRED/i,
  },
  {
    name: 'an expired client certificate under mTLS',
    port: (protocol) => mtlsPort.get(protocol)!,
    tls: () => ({ ca: pki.ca.cert, ...expiredClient }),
    reason: /refuses a client certificate that is missing, expired, or not signed by a CA it trusts/,
  },
  {
    name: 'a plaintext server',
    port: (protocol) => plainPort.get(protocol)!,
    tls: good,
    reason: /does not speak TLS here/,
  },
];

describe.each(variants)('TLS on %s', (protocol) => {
  it('a good certificate (mTLS) works through the client and the driver', async () => {
    if (protocol !== 'rest-h2')
      expect(await clientCall(protocol, mtlsPort.get(protocol)!, good())).toBe('ok');
    expect(await driverCall(protocol, mtlsPort.get(protocol)!, good())).toBe('ok');
  });

  for (const failure of cases) {
    it(`${failure.name}: UNAVAILABLE, naming the problem`, async () => {
      const port = failure.port(protocol);
      if (protocol !== 'rest-h2') {
        const error = await clientCall(protocol, port, failure.tls());
        expect(error).toBeInstanceOf(ServiceError);
        expect((error as ServiceError).code).toBe('UNAVAILABLE');
        expect((error as ServiceError).message).toMatch(failure.reason);
      }
      const problem = await driverCall(protocol, port, failure.tls());
      // Either connect() failed (its message), or the request did (UNAVAILABLE: the notes).
      if (problem.includes(': ') && !problem.includes('not reachable'))
        expect(problem).toMatch(/^UNAVAILABLE: /);
      expect(problem).toMatch(failure.reason);
    });
  }
});

/** The streaming RPC over mTLS, through the streaming scenario's own transports and counting relay. */
describe.each(['grpc', 'connect', 'rest'] as const)('streaming over TLS on %s', (protocol) => {
  const clip = loadManifest().clips.find((c) => c.kind === 'short3s')!;
  const streamOn = (port: number, tls: ClientTls | undefined) =>
    runStreamingScenario({
      protocol: protocol === 'rest' ? 'rest' : 'grpc',
      host,
      port,
      ...(tls ? { tls } : {}),
      audio: clipAudio(clip),
      pace: 'asap',
      timeoutMs: 10_000,
      warmUpTimeoutMs: 5_000,
    });

  it('a good certificate streams the clip; the wire carries more bytes than in plaintext', async () => {
    const [secure, plain] = [
      await streamOn(mtlsPort.get(protocol)!, good()),
      await streamOn(plainPort.get(protocol)!, undefined),
    ];
    expect(secure.problems).toEqual([]);
    expect(secure.streams).toMatchObject({ sent: 1, ok: 1 });
    expect(secure.perStream[0]!.finalTranscript).toBe(clip.text);
    expect(balanceProblems(secure.streams)).toEqual([]);
    expect(plain.streams).toMatchObject({ sent: 1, ok: 1 });
    // TLS records (and the handshake) on top of the same messages.
    expect(secure.bytes.sent).toBeGreaterThan(plain.bytes.sent);
    expect(secure.bytes.received).toBeGreaterThan(plain.bytes.received);
  }, 30_000);

  it('no client certificate under mTLS: the stream fails UNAVAILABLE, accounted', async () => {
    const result = await streamOn(mtlsPort.get(protocol)!, { ca: pki.ca.cert });
    expect(result.streams.sent).toBe(1);
    expect(result.streams.ok).toBe(0);
    expect(result.streams.failedByCode).toEqual({ UNAVAILABLE: 1 });
    expect(balanceProblems(result.streams)).toEqual([]);
  }, 30_000);
});
