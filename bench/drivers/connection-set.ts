/** A connection a transport driver opens itself, on a socket it owns. */
export interface OwnedConnection {
  open(): Promise<void>;
  close(): void;
}

/**
 * The connections of one transport driver: all opened before load starts, all
 * closed again (the ones already open too) when any of them cannot be opened.
 */
export class ConnectionSet<C extends OwnedConnection> {
  private connections: C[] = [];

  async open(count: number, create: () => C): Promise<C[]> {
    const opened = Array.from({ length: count }, create);
    this.connections.push(...opened);
    try {
      await Promise.all(opened.map((connection) => connection.open()));
    } catch (error) {
      this.close();
      throw error;
    }
    return opened;
  }

  close(): void {
    for (const connection of this.connections) connection.close();
    this.connections = [];
  }
}
