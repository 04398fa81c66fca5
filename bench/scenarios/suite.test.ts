import { describe, expect, it } from 'vitest';
import { builtInSuites, loadSuite, parseSuite, SuiteError } from './suite.js';
import { variantInfo } from './variants.js';

function problemsOf(document: unknown): readonly string[] {
  try {
    parseSuite(document, 'test');
  } catch (error) {
    if (error instanceof SuiteError) return error.problems;
    throw error;
  }
  return [];
}

describe('suites', () => {
  it('the built-in suites parse', () => {
    for (const name of builtInSuites) expect(loadSuite(name).scenarios.length).toBeGreaterThan(0);
  });

  it('quick runs every variant but the web server’s on every unary scenario, and streams on both protocols, over both gRPC servers', () => {
    const quick = loadSuite('quick');
    // The web server's variants run in the web suite, so that quick keeps its 4 minutes.
    const all = (Object.keys(variantInfo) as (keyof typeof variantInfo)[])
      .filter((variant) => variantInfo[variant].web === undefined)
      .sort();
    for (const scenario of quick.scenarios) {
      if (scenario.rpc === 'streaming-transcribe')
        expect(scenario.variants).toEqual(['grpc', 'grpc-connect', 'rest-binary-h1']);
      else expect([...scenario.variants].sort()).toEqual(all);
    }
    expect(quick.scenarios.filter((s) => s.streaming?.pace === 'realtime')).toHaveLength(1);
    expect(quick.scenarios.filter((s) => s.streaming?.pace === 'asap')).toHaveLength(1);
    expect(quick.scenarios.find((s) => s.rpc === 'transcribe-and-classify')?.stt).toBe('auto');
  });

  it('defaults the engine per scenario to the suite’s, and streaming to realtime', () => {
    const suite = parseSuite(
      {
        name: 's',
        stt: 'sphinx',
        scenarios: [
          { name: 'a', rpc: 'classify' },
          { name: 'b', rpc: 'streaming-transcribe', stt: 'reference' },
        ],
      },
      'test',
    );
    expect(suite.scenarios.map((s) => s.stt)).toEqual(['sphinx', 'reference']);
    expect(suite.scenarios[1]!.streaming).toEqual({ pace: 'realtime', streams: 4 });
    expect(suite.scenarios[1]!.family).toBe('client');
  });

  it('reports every misuse of the variants at once', () => {
    const problems = problemsOf({
      name: 's',
      scenarios: [
        {
          name: 'a',
          rpc: 'streaming-transcribe',
          variants: ['rest-json-h2'],
          load: { model: 'open', rate: 5 },
        },
        { name: 'b', rpc: 'classify', pace: 'asap' },
        { name: 'c', rpc: 'classify', family: 'client', variants: ['rest-proto-h1'] },
      ],
    });
    expect(problems).toEqual([
      'a: streaming-transcribe runs on grpc, grpc-connect, rest-binary-h1, not rest-json-h2',
      'a: streaming-transcribe has no open-loop model',
      'b: pace and streams are for streaming-transcribe only',
      'c: family client has no client library for rest-proto-h1 (use family transport)',
    ]);
  });

  it('expands a workers list into one scenario per count, with a connection per worker at least', () => {
    const suite = parseSuite(
      {
        name: 's',
        defaults: { connections: 1, concurrency: 1 },
        scenarios: [
          { name: 'cpu', rpc: 'transcribe', workers: [1, 4] },
          { name: 'plain', rpc: 'classify' },
        ],
      },
      'test',
    );
    expect(
      suite.scenarios.map((s) => [s.name, s.workers, s.scalingOf, s.connections, s.concurrency]),
    ).toEqual([
      ['cpu-w1', 1, 'cpu', 1, 1],
      ['cpu-w4', 4, 'cpu', 4, 4],
      ['plain', 1, undefined, 1, 1],
    ]);
    expect(loadSuite('scaling').scenarios.map((s) => s.name)).toEqual([
      'transcribe-3s-w1',
      'transcribe-3s-w2',
    ]);
  });

  it('rejects bad workers lists and names they would repeat', () => {
    expect(problemsOf({ name: 's', scenarios: [{ name: 'a', rpc: 'classify', workers: [0] }] })).toEqual([
      '/scenarios/0/workers/0: must be >= 1',
    ]);
    expect(
      problemsOf({
        name: 's',
        scenarios: [
          { name: 'a', rpc: 'classify', workers: [1, 2] },
          { name: 'a-w2', rpc: 'classify' },
          { name: 'b', rpc: 'classify', workers: [2], load: { model: 'open', rate: 5 } },
        ],
      }),
    ).toEqual([
      'scenario names repeat: a-w2',
      'b: workers lists measure throughput, which needs the closed loop',
    ]);
  });

  it('tls: both runs a scenario plaintext and over TLS; run --tls turns it on for every scenario', () => {
    const document = {
      name: 's',
      scenarios: [
        { name: 'a', rpc: 'classify', tls: 'both' },
        { name: 'b', rpc: 'transcribe' },
        { name: 'c', rpc: 'streaming-transcribe' },
      ],
    };
    const plain = parseSuite(document, 'test').scenarios.map((s) => `${s.name}:${s.tls}`);
    expect(plain).toEqual(['a:false', 'a-tls:true', 'b:false', 'c:false']);
    const forced = parseSuite(document, 'test', { tls: true }).scenarios.map((s) => `${s.name}:${s.tls}`);
    expect(forced).toEqual(['a:false', 'a-tls:true', 'b:true', 'c:true']);
  });

  it('tls is checked against expanded names and typed strictly', () => {
    expect(
      problemsOf({
        name: 's',
        scenarios: [
          { name: 'a', rpc: 'classify', tls: 'both' },
          { name: 'a-tls', rpc: 'classify' },
          { name: 'c', rpc: 'streaming-transcribe', tls: true },
          { name: 'd', rpc: 'classify', tls: 'yes' },
        ],
      }),
    ).toEqual(['/scenarios/3/tls: must be one of false, true, both']);
    expect(
      problemsOf({
        name: 's',
        scenarios: [
          { name: 'a', rpc: 'classify', tls: 'both' },
          { name: 'a-tls', rpc: 'classify' },
          { name: 'c', rpc: 'streaming-transcribe', tls: true },
        ],
      }),
    ).toEqual(['scenario names repeat: a-tls']);
  });

  it('sets every server’s classifier, words unless the suite says sentence', () => {
    const scenarios = [{ name: 'a', rpc: 'classify' }];
    expect(parseSuite({ name: 's', scenarios }, 'test').classifier).toBe('words');
    expect(parseSuite({ name: 's', classifier: 'sentence', scenarios }, 'test').classifier).toBe('sentence');
    expect(problemsOf({ name: 's', classifier: 'bert', scenarios })).toEqual([
      '/classifier: must be one of words, sentence',
    ]);
  });

  it('networks and tunings: by name, custom, per scenario over the suite’s, `tuning: both` as NAME and NAME-tuned', () => {
    const suite = parseSuite(
      {
        name: 's',
        network: 'wan',
        tuning: 'both',
        scenarios: [
          { name: 'a', rpc: 'classify' },
          {
            name: 'b',
            rpc: 'classify',
            network: { rtt: '30ms', jitter: '4ms', down: 100, up: 20 },
            tuning: 'tuned',
          },
          { name: 'c', rpc: 'classify', network: { profile: 'mobile', congestionWindow: false } },
          { name: 'd', rpc: 'classify', network: 'loopback', tuning: 'default' },
        ],
      },
      'test',
    );
    expect(suite.scenarios.map((s) => `${s.name}:${s.network.name}:${s.tuning}`)).toEqual([
      'a:wan:default',
      'a-tuned:wan:tuned',
      'b:custom:tuned',
      'c:mobile:default',
      'c-tuned:mobile:tuned',
      'd:loopback:default',
    ]);
    expect(suite.scenarios[0]!.network.path).toEqual({
      rttMs: 50,
      jitterMs: 0,
      downMbps: 50,
      upMbps: 50,
      congestionWindow: true,
    });
    expect(suite.scenarios[2]!.network.path).toEqual({
      rttMs: 30,
      jitterMs: 4,
      downMbps: 100,
      upMbps: 20,
      congestionWindow: true,
    });
    expect(suite.scenarios[3]!.network.path?.congestionWindow).toBe(false);
    expect(suite.scenarios[5]!.network.path).toBeUndefined();
  });

  it('run --network and --tuning override every scenario; bad networks are reported at once', () => {
    const document = { name: 's', scenarios: [{ name: 'a', rpc: 'classify', network: 'lan' }] };
    const overridden = parseSuite(document, 'test', {
      network: {
        name: 'metro',
        path: { rttMs: 10, jitterMs: 0, downMbps: 200, upMbps: 200, congestionWindow: true },
      },
      congestionWindow: false,
      tuning: 'tuned',
    });
    expect(
      overridden.scenarios.map((s) => [s.name, s.network.name, s.network.path?.congestionWindow, s.tuning]),
    ).toEqual([['a', 'metro', false, 'tuned']]);
    expect(
      problemsOf({ name: 's', scenarios: [{ name: 'c', rpc: 'classify', network: 'dialup' }] }),
    ).toContain('/scenarios/0/network: must be one of loopback, lan, metro, wan, mobile');
    expect(
      problemsOf({
        name: 's',
        network: { rtt: '10ms' },
        scenarios: [
          { name: 'a', rpc: 'classify', network: { profile: 'wan', rtt: '5ms' } },
          { name: 'b', rpc: 'classify', network: { rtt: '5ms', jitter: '6ms', down: 10 } },
        ],
      }),
    ).toEqual([
      'network: a custom network needs at least rtt and down (Mbit/s)',
      'a.network: network takes a profile or custom rtt/jitter/down/up, not both',
      'b.network: jitter (6 ms) must be below rtt (5 ms)',
    ]);
  });

  it('sizes: one scenario per size, audio for the audio RPCs and texts for classify', () => {
    const suite = parseSuite(
      {
        name: 's',
        scenarios: [
          { name: 'up', rpc: 'transcribe', sizes: ['0.5s', '60s'] },
          { name: 'text', rpc: 'classify', sizes: ['command', '4KB'] },
        ],
      },
      'test',
    );
    expect(suite.scenarios.map((s) => [s.name, s.size, s.sizeOf])).toEqual([
      ['up-0.5s', '0.5s', 'up'],
      ['up-60s', '60s', 'up'],
      ['text-command', 'command', 'text'],
      ['text-4KB', '4KB', 'text'],
    ]);
    expect(
      problemsOf({
        name: 's',
        scenarios: [
          { name: 'a', rpc: 'classify', sizes: ['3s'] },
          { name: 'b', rpc: 'transcribe', sizes: ['1KB', '1s'] },
          { name: 'c', rpc: 'streaming-transcribe', sizes: ['1s'] },
        ],
      }),
    ).toEqual([
      'a: classify takes text sizes, not 3s',
      'b: transcribe takes audio sizes, not 1KB',
      'c: sizes are for unary scenarios',
    ]);
  });

  it('web runs every browser-reachable variant from the transport drivers and from the browser', () => {
    const web = loadSuite('web');
    const reachable = (Object.keys(variantInfo) as (keyof typeof variantInfo)[]).filter(
      (variant) => variantInfo[variant].browser,
    );
    for (const family of ['transport', 'browser'] as const) {
      const measured = new Set(web.scenarios.filter((s) => s.family === family).flatMap((s) => s.variants));
      for (const variant of reachable) expect(measured.has(variant), `${family} ${variant}`).toBe(true);
    }
  });

  it('refuses browser scenarios a page cannot run, every problem at once', () => {
    expect(() =>
      parseSuite(
        {
          name: 's',
          scenarios: [
            {
              name: 'b',
              rpc: 'classify',
              family: 'browser',
              variants: ['grpc'],
              load: { model: 'open', rate: 10 },
            },
            { name: 'st', rpc: 'streaming-transcribe', family: 'browser' },
          ],
        },
        'inline',
      ),
    ).toThrow(/a browser cannot call grpc[\s\S]*closed loop only[\s\S]*cannot stream a request body/);
  });
});
