import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRequestPayload,
  grpcFrameOf,
  type RequestPayload,
} from '../../bench/drivers/request-payloads.js';
import type { ServerProcess } from '../../bench/run/server-process.js';
import { mulberry32 } from '../../bench/stats/prng.js';
import { fuzzCases, fuzzSeed } from './fuzz-seed.js';
import { alive, mib, type RetainedMemory, retainedMemory, startFuzzServer, Tally } from './fuzz-servers.js';
import { jsonCases } from './json-cases.js';
import { mutateGrpcFrame, mutateProtobuf } from './protobuf-mutations.js';
import { GrpcRawPool, type RawOutcome, RestRawClient, runCases } from './raw-clients.js';

/**
 * Issue #8, hostile input: thousands of malformed protobuf messages (mutated from the
 * corpus requests the benchmark sends) to grpc-js, connect-node and REST
 * `application/x-protobuf`, and hostile JSON bodies (fast-check) to REST. Every answer
 * must be a client error (or OK, when a mutation happens to stay valid), never
 * INTERNAL/UNKNOWN/500, never a hang; no server may exit; and RSS afterwards stays
 * within 20% of RSS before (both read after a full collection: see retainedMemory).
 */
const seed = fuzzSeed();
const cases = fuzzCases(10_000);
/** connect-node costs several times grpc-js's CPU per call: fewer cases keep the file in budget. */
const connectCases = Math.ceil(cases / 5);
const caseTimeoutMs = 5_000;
const concurrency = 32;
/** Each loop stops here even if unfinished (and the count check then fails). */
const loopBudgetMs = 120_000;

/** Audio is in 1 case of 25: the requests are 67 KB, the classify ones 100 bytes. */
function pickPayload(payloads: readonly RequestPayload[], random: () => number): RequestPayload {
  const r = random();
  return r < 0.96 ? payloads[0]! : r < 0.98 ? payloads[1]! : payloads[2]!;
}

/** A client's mistake gets a client error; the reference engine answers UNIMPLEMENTED to audio it does not know. */
const clientCodes = new Set(['OK', 'INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED', 'UNIMPLEMENTED']);
const restStatusOf: Record<string, number> = {
  OK: 200,
  INVALID_ARGUMENT: 400,
  RESOURCE_EXHAUSTED: 413,
  UNIMPLEMENTED: 501,
};

function restCodeOf(outcome: RawOutcome): string {
  if (outcome.httpStatus === 200) return 'OK';
  return outcome.restCode ?? outcome.code;
}

function memoryChange(before: RetainedMemory, after: RetainedMemory): string {
  const percent = ((after.rssBytes / before.rssBytes - 1) * 100).toFixed(1);
  return `retained RSS ${mib(before.rssBytes)} before, ${mib(after.rssBytes)} after (${percent}%); heap in use ${mib(before.heapUsedBytes)} → ${mib(after.heapUsedBytes)}`;
}

describe(`fuzz: malformed messages (seed ${seed}; repeat with FUZZ_SEED=${seed})`, () => {
  let grpc: ServerProcess;
  let connect: ServerProcess;
  let rest: ServerProcess;
  let payloads: RequestPayload[];
  const memoryBefore = new Map<string, RetainedMemory>();

  beforeAll(async () => {
    [grpc, connect, rest] = await Promise.all([
      startFuzzServer('grpc'),
      startFuzzServer('connect'),
      startFuzzServer('rest'),
    ]);
    payloads = [
      buildRequestPayload({ rpc: 'classify' }),
      buildRequestPayload({ rpc: 'transcribe', clipKind: 'command' }),
      buildRequestPayload({ rpc: 'transcribe-and-classify', clipKind: 'command' }),
    ];
  });
  afterAll(async () => {
    await Promise.all([grpc?.stop(), connect?.stop(), rest?.stop()]);
  });

  /**
   * Valid and hostile calls before the baseline (from another seed than the measured
   * cases), so that lazy start-up (JIT, pools, buffers, heap sizing) is not counted as growth.
   */
  async function warmUp(grpcPool: GrpcRawPool, connectPool: GrpcRawPool, restClient: RestRawClient) {
    const random = mulberry32(seed ^ 0x5eed);
    const json = jsonCases(payloads[0]!.jsonBody.toString(), seed ^ 0x5eed, 1_000);
    await runCases(1_000, concurrency, Date.now() + 20_000, async (index) => {
      const payload = payloads[index % 3]!;
      const { bytes } = mutateProtobuf(payload.protobuf, random);
      await Promise.all([
        grpcPool.call(payload.grpcPath, index % 2 ? payload.grpcFrame : grpcFrameOf(bytes), caseTimeoutMs),
        connectPool.call(payload.grpcPath, index % 2 ? payload.grpcFrame : grpcFrameOf(bytes), caseTimeoutMs),
        restClient.post(
          payload.restPath,
          index % 2 ? payload.protobuf : bytes,
          'application/x-protobuf',
          caseTimeoutMs,
        ),
        restClient.post('/v1/classify', Buffer.from(json[index]!.body), 'application/json', caseTimeoutMs),
      ]);
    });
    for (const [name, memory] of await retainedMemories(grpcPool, connectPool, restClient))
      memoryBefore.set(name, memory);
  }

  /** Each server's retained memory (see retainedMemory) after valid classify calls. */
  async function retainedMemories(
    grpcPool: GrpcRawPool,
    connectPool: GrpcRawPool,
    restClient: RestRawClient,
  ) {
    const classify = payloads[0]!;
    const memories = await Promise.all([
      retainedMemory(grpc, () => grpcPool.call(classify.grpcPath, classify.grpcFrame, caseTimeoutMs)),
      retainedMemory(connect, () => connectPool.call(classify.grpcPath, classify.grpcFrame, caseTimeoutMs)),
      retainedMemory(rest, () =>
        restClient.post(classify.restPath, classify.protobuf, 'application/x-protobuf', caseTimeoutMs),
      ),
    ]);
    return new Map([
      ['grpc-js', memories[0]],
      ['connect', memories[1]],
      ['rest', memories[2]],
    ]);
  }

  it(`protobuf: ${cases} mutated corpus messages to grpc-js and REST x-protobuf, ${connectCases} to connect-node`, async () => {
    const grpcPool = new GrpcRawPool(grpc.port, 4);
    const connectPool = new GrpcRawPool(connect.port, 4);
    const restClient = new RestRawClient(rest.port, 16);
    await warmUp(grpcPool, connectPool, restClient);

    // Cases are drawn up front, in order, so the seed alone fixes them whatever the timing.
    const random = mulberry32(seed);
    const drawn = Array.from({ length: cases }, (_, index) => {
      const payload = pickPayload(payloads, random);
      const { kind, bytes } = mutateProtobuf(payload.protobuf, random);
      if (random() < 0.1) {
        // gRPC's framing broken as well; REST gets the message alone.
        const broken = mutateGrpcFrame(bytes, random);
        return {
          index,
          kind: `${kind}+${broken.kind}`,
          payload,
          frame: broken.frame,
          message: bytes,
          framed: false,
        };
      }
      return { index, kind, payload, frame: grpcFrameOf(bytes), message: bytes, framed: true };
    });
    const labelOf = (c: (typeof drawn)[number]) => `case ${c.index} (${c.kind}, ${c.payload.rpc})`;
    const grpcCodes: string[] = [];
    const restCodes: string[] = [];
    const tallies = { grpc: new Tally(), connect: new Tally(), rest: new Tally() };

    const grpcLoop = async (pool: GrpcRawPool, tally: Tally, count: number, codes: string[]) =>
      runCases(count, concurrency, started + loopBudgetMs, async (index) => {
        const c = drawn[index]!;
        const outcome = await pool.call(c.payload.grpcPath, c.frame, caseTimeoutMs);
        codes[index] = outcome.code;
        if (clientCodes.has(outcome.code)) tally.add(outcome.code);
        else tally.reject(`${labelOf(c)}: ${outcome.code}`);
      });
    const restLoop = async () =>
      runCases(cases, concurrency, started + loopBudgetMs, async (index) => {
        const c = drawn[index]!;
        const outcome = await restClient.post(
          c.payload.restPath,
          c.message,
          'application/x-protobuf',
          caseTimeoutMs,
        );
        const code = restCodeOf(outcome);
        restCodes[index] = code;
        if (clientCodes.has(code) && restStatusOf[code] === outcome.httpStatus) tallies.rest.add(code);
        else tallies.rest.reject(`${labelOf(c)}: ${outcome.code} ${outcome.restCode}`);
      });
    const connectCodes: string[] = [];
    // The three servers are separate processes: each loop runs at its own pace.
    const started = Date.now();
    const [grpcDone, restDone, connectDone] = await Promise.all([
      grpcLoop(grpcPool, tallies.grpc, cases, grpcCodes),
      restLoop(),
      grpcLoop(connectPool, tallies.connect, connectCases, connectCodes),
    ]);
    const seconds = (Date.now() - started) / 1000;

    // Same bytes, same decoder (ts-proto) behind grpc-js and REST: the same verdict.
    const mismatches = new Tally();
    const connectDiffers = new Tally();
    for (const c of drawn) {
      if (!c.framed) continue;
      const viaGrpc = grpcCodes[c.index];
      if (viaGrpc !== undefined && restCodes[c.index] !== undefined && viaGrpc !== restCodes[c.index])
        mismatches.reject(`${labelOf(c)}: grpc-js ${viaGrpc}, REST ${restCodes[c.index]}`);
      // connect decodes with protobuf-es, which is stricter (UTF-8 in strings): counted, not failed.
      if (connectCodes[c.index] !== undefined && connectCodes[c.index] !== viaGrpc)
        connectDiffers.add(`grpc-js ${viaGrpc} / connect ${connectCodes[c.index]}`);
    }

    const memoryAfter = Object.fromEntries(await retainedMemories(grpcPool, connectPool, restClient));
    console.log(
      [
        `protobuf fuzz, seed ${seed}, all loops together ${seconds.toFixed(1)} s:`,
        `  grpc-js  ${grpcDone} cases: ${tallies.grpc}`,
        `  rest     ${restDone} cases: ${tallies.rest}`,
        `  connect  ${connectDone} cases: ${tallies.connect}`,
        `  grpc-js and REST differ on ${mismatches.counts.get('REJECTED') ?? 0} cases; connect differs from grpc-js: ${connectDiffers}`,
        ...Object.entries(memoryAfter).map(
          ([name, after]) => `  ${name} ${memoryChange(memoryBefore.get(name)!, after)}`,
        ),
      ].join('\n'),
    );
    grpcPool.close();
    connectPool.close();
    restClient.close();

    expect(alive(grpc) && alive(connect) && alive(rest), 'a server exited').toBe(true);
    expect([grpcDone, restDone, connectDone]).toEqual([cases, cases, connectCases]);
    expect(tallies.grpc.bad).toEqual([]);
    expect(tallies.connect.bad).toEqual([]);
    expect(tallies.rest.bad).toEqual([]);
    expect(mismatches.bad).toEqual([]);
    for (const [name, after] of Object.entries(memoryAfter))
      expect(after.rssBytes, name).toBeLessThanOrEqual(memoryBefore.get(name)!.rssBytes * 1.2);
  }, 180_000);

  it(`JSON: ${cases} hostile bodies (fast-check) to REST`, async () => {
    const restClient = new RestRawClient(rest.port, 16);
    const classify = payloads[0]!;
    const memoryOf = () =>
      retainedMemory(rest, () =>
        restClient.post(classify.restPath, classify.jsonBody, 'application/json', caseTimeoutMs),
      );
    const before = await memoryOf();
    const bodies = jsonCases(classify.jsonBody.toString(), seed, cases);
    const routes = ['/v1/classify', '/v1/transcribe', '/v1/transcribe-and-classify'];
    const tally = new Tally();
    const started = Date.now();
    const done = await runCases(bodies.length, concurrency, started + loopBudgetMs, async (index) => {
      const { kind, body } = bodies[index]!;
      const route = body.includes('"audio"') ? routes[1 + (index % 2)]! : routes[index % 3]!;
      const outcome = await restClient.post(route, Buffer.from(body), 'application/json', caseTimeoutMs);
      const code = restCodeOf(outcome);
      if (clientCodes.has(code) && restStatusOf[code] === outcome.httpStatus) tally.add(code);
      else
        tally.reject(
          `case ${index} (${kind}) ${route} ${body.slice(0, 120)}: ${outcome.code} ${outcome.restCode}`,
        );
    });
    // The server still answers a valid request, and answers it the same: no pollution stuck.
    const check = await restClient.post(
      classify.restPath,
      classify.jsonBody,
      'application/json',
      caseTimeoutMs,
    );
    const after = await memoryOf();
    console.log(
      `JSON fuzz, seed ${seed}: ${done} bodies in ${((Date.now() - started) / 1000).toFixed(1)} s: ${tally}\n` +
        `  rest ${memoryChange(before, after)}`,
    );
    restClient.close();

    expect(alive(rest), 'the REST server exited').toBe(true);
    expect(done).toBe(cases);
    expect(tally.bad).toEqual([]);
    expect(check.httpStatus).toBe(200);
    expect(after.rssBytes).toBeLessThanOrEqual(before.rssBytes * 1.2);
  }, 180_000);
});
