/**
 * One headless Chromium for a run, and the small page it measures from: served by the
 * harness on a loopback port of its own, cross-origin isolated (COOP/COEP: the finer
 * performance.now()), with a Content-Security-Policy that lets it reach only the servers
 * under test. Each measurement gets a fresh browser context (no cache, no connections
 * kept from the one before).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './chromium.js';
import { pageScript } from './page-bundle.js';
import type {
  PageCall,
  PageOutcome,
  PageResult,
  PageRun,
  PageStream,
  PageStreamResult,
} from './page-protocol.js';
import { descendantCpuSeconds } from './process-cpu.js';

/** What the browser spent while the page ran: the page's main thread and the processes. */
export interface BrowserLoad {
  /** Share of the wall time the page's main thread was busy (CDP Performance.getMetrics TaskDuration). */
  readonly pageMainThreadBusy: number;
  /** Renderer processes' CPU, in cores (from /proc). */
  readonly rendererCpu: number;
  /** Every Chromium process's CPU (browser, renderer, network), in cores. */
  readonly browserCpu: number;
}

const html = `<!doctype html><meta charset="utf-8"><title>grpc-rest-bench page</title><script src="/bench-page.js"></script>`;

function sum(map: Map<string, number>): number {
  return [...map.values()].reduce((total, value) => total + value, 0);
}

export class BrowserSession {
  private constructor(
    private readonly browser: Browser,
    private readonly server: Server,
    private readonly pageUrl: string,
  ) {}

  /** `origins`: the servers under test, the only places the page may reach. */
  static async launch(origins: readonly string[]): Promise<BrowserSession> {
    const script = await pageScript();
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'content-security-policy': `default-src 'none'; script-src 'self'; connect-src ${origins.join(' ')}`,
      'cache-control': 'no-store',
    };
    const server = createServer((request, response) => {
      if (request.url === '/') response.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(html);
      else if (request.url === '/bench-page.js')
        response.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(script);
      else response.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      // The run handles Ctrl-C itself (results written, exit 130): Playwright's own handlers
      // would close Chromium and exit the process before that.
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      return new BrowserSession(browser, server, pageUrl);
    } catch (error) {
      server.close();
      throw error;
    }
  }

  get version(): string {
    return this.browser.version();
  }

  /**
   * Runs the page's closed loop; the result and what the browser spent on it. An abort
   * closes the page, which ends the run at once (rejecting) rather than at the window's end.
   */
  async run(config: PageRun, signal?: AbortSignal): Promise<{ result: PageResult; load: BrowserLoad }> {
    return this.withPage(async (page) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const taskSeconds = async () =>
        (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
      const taskBefore = await taskSeconds();
      const cpuBefore = descendantCpuSeconds();
      const wallBefore = performance.now();
      const result = (await page.evaluate(
        (run) =>
          (globalThis as unknown as { benchPage: { run(r: PageRun): Promise<PageResult> } }).benchPage.run(
            run,
          ),
        config,
      )) as PageResult;
      const wallSeconds = (performance.now() - wallBefore) / 1000;
      const cpuAfter = descendantCpuSeconds();
      const taskAfter = await taskSeconds();
      const delta = (kind?: string) =>
        kind === undefined
          ? sum(cpuAfter) - sum(cpuBefore)
          : (cpuAfter.get(kind) ?? 0) - (cpuBefore.get(kind) ?? 0);
      return {
        result,
        load: {
          pageMainThreadBusy: (taskAfter - taskBefore) / wallSeconds,
          rendererCpu: delta('renderer') / wallSeconds,
          browserCpu: delta() / wallSeconds,
        },
      };
    }, signal);
  }

  /** One call from the page: its code (the error tests). */
  callOnce(call: PageCall): Promise<PageOutcome> {
    return this.inPage('callOnce', call);
  }

  /** The bidirectional streaming RPC through connect-web (which refuses it). */
  bidiThroughConnectWeb(call: PageCall): Promise<PageOutcome> {
    return this.inPage('bidiThroughConnectWeb', call);
  }

  /** The streaming RPC half-duplex over fetch: every request message in one body. */
  streamHalfDuplex(stream: PageStream): Promise<PageStreamResult> {
    return this.inPage('streamHalfDuplex', stream);
  }

  private inPage<T>(name: string, argument: unknown): Promise<T> {
    return this.withPage(
      (page) =>
        page.evaluate(
          ([fn, arg]) =>
            (globalThis as unknown as { benchPage: Record<string, (a: unknown) => Promise<unknown>> })
              .benchPage[fn as string]!(arg),
          [name, argument] as const,
        ) as Promise<T>,
    );
  }

  private async withPage<T>(use: (page: Page) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const context = await this.browser.newContext();
    const abort = () => void context.close().catch(() => {});
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const page = await context.newPage();
      await page.goto(this.pageUrl);
      await page.waitForFunction(() => 'benchPage' in globalThis);
      return await use(page);
    } finally {
      signal?.removeEventListener('abort', abort);
      await context.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
