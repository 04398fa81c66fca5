import type { ServiceError } from '../servers/core/service-error.js';

/** Told once, when the call is over. */
export interface ClosureListener {
  onClose(error: ServiceError | undefined): void;
}

/**
 * A call's end, decided once: transports see several end events (an error, then
 * `close`; a cancel, then the library's CANCELLED) and only the first one counts.
 * Every wait of a call (drain, the next audio chunk, the next result) goes through
 * it, so that no wait can outlive the call.
 */
export class CallClosure {
  private closedFlag = false;
  private closingError: ServiceError | undefined;
  private resolveClosed: () => void = () => {};
  /** Settles when the call is over, so that waits on it (drain, pacing) cannot outlive it. */
  readonly closed: Promise<void> = new Promise((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(private readonly listener?: ClosureListener) {}

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Why the call ended: undefined while it runs, and when it ended cleanly. */
  get error(): ServiceError | undefined {
    return this.closingError;
  }

  close(error: ServiceError | undefined): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.closingError = error;
    this.resolveClosed();
    this.listener?.onClose(error);
  }

  /**
   * `promise`'s value, or undefined when the call ends first (or has ended). The
   * promise may still settle later; its rejection is then handled here, not lost.
   */
  whileOpen<T>(promise: Promise<T>): Promise<T | undefined> {
    if (this.closedFlag) {
      promise.catch(() => {});
      return Promise.resolve(undefined);
    }
    return Promise.race([promise, this.closed.then(() => undefined)]);
  }

  /** Waits for `event` on `emitter` unless the call ends first; true when the event came. */
  async waitFor(emitter: NodeJS.EventEmitter, event: string): Promise<boolean> {
    if (this.closedFlag) return false;
    let listener: () => void = () => {};
    const happened = new Promise<boolean>((resolve) => {
      listener = () => resolve(true);
      emitter.once(event, listener);
    });
    const result = await this.whileOpen(happened);
    emitter.removeListener(event, listener);
    return result === true && !this.closedFlag;
  }
}
