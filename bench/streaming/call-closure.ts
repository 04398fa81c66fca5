import type { ServiceError } from '../../servers/core/service-error.js';
import type { StreamHandlers } from './stream-transport.js';

/**
 * A call's end, decided once: transports see several end events (an error, then
 * `close`; a cancel, then the library's CANCELLED) and only the first one counts.
 */
export class CallClosure {
  private closedFlag = false;
  private resolveClosed: () => void = () => {};
  /** Settles when the call is over, so that waits on it (drain, pacing) cannot outlive it. */
  readonly closed: Promise<void> = new Promise((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(private readonly handlers: StreamHandlers) {}

  get isClosed(): boolean {
    return this.closedFlag;
  }

  close(error: ServiceError | undefined): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.resolveClosed();
    this.handlers.onClose(error);
  }

  /** Waits for `event` on `emitter` unless the call ends first; true when the event came. */
  async waitFor(emitter: NodeJS.EventEmitter, event: string): Promise<boolean> {
    if (this.closedFlag) return false;
    let listener: () => void = () => {};
    const happened = new Promise<boolean>((resolve) => {
      listener = () => resolve(true);
      emitter.once(event, listener);
    });
    const result = await Promise.race([happened, this.closed.then(() => false)]);
    emitter.removeListener(event, listener);
    return result && !this.closedFlag;
  }
}
