import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../core/service-error.js';
import { DecoderPool, defaultPoolSize } from './decoder-pool.js';

interface Fake {
  readonly id: number;
  destroyed: boolean;
}

async function fakePool(size: number, maxQueue: number) {
  const made: Fake[] = [];
  const pool = await DecoderPool.create<Fake>({
    size,
    maxQueue,
    create: async () => {
      const fake = { id: made.length, destroyed: false };
      made.push(fake);
      return fake;
    },
    destroy: (fake) => {
      fake.destroyed = true;
    },
  });
  return { pool, made };
}

describe('DecoderPool', () => {
  it('creates every decoder once, up front', async () => {
    const { pool, made } = await fakePool(3, 0);
    expect(made).toHaveLength(3);
    expect(pool.idleCount).toBe(3);
    const leases = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(new Set(leases.map((lease) => lease.decoder.id)).size).toBe(3);
    expect(made).toHaveLength(3);
  });

  it('queues requests beyond its size in FIFO order', async () => {
    const { pool } = await fakePool(1, 3);
    const first = await pool.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      pool.acquire().then((lease) => {
        order.push(n);
        lease.release();
      }),
    );
    expect(pool.waitingCount).toBe(3);
    first.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(pool.idleCount).toBe(1);
  });

  it('refuses with RESOURCE_EXHAUSTED when the queue is full', async () => {
    const { pool } = await fakePool(1, 1);
    const held = await pool.acquire();
    const queued = pool.acquire();
    const refused = pool.acquire();
    await expect(refused).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    await expect(refused).rejects.toBeInstanceOf(ServiceError);
    held.release();
    (await queued).release();
  });

  it('ignores a second release of the same lease', async () => {
    const { pool } = await fakePool(1, 0);
    const lease = await pool.acquire();
    lease.release();
    lease.release();
    expect(pool.idleCount).toBe(1);
    const again = await pool.acquire();
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    again.release();
  });

  it('on close, rejects waiters, frees all decoders (leased ones too) and refuses new requests', async () => {
    const { pool, made } = await fakePool(2, 4);
    const held = await pool.acquire();
    await pool.acquire();
    const waiting = pool.acquire();
    await pool.close();
    await expect(waiting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(made.every((fake) => fake.destroyed)).toBe(true);
    held.release();
    expect(pool.idleCount).toBe(0);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('frees what it made when a later decoder fails to load', async () => {
    const made: Fake[] = [];
    const creating = DecoderPool.create<Fake>({
      size: 3,
      maxQueue: 0,
      create: async () => {
        if (made.length === 2) throw new Error('model missing');
        const fake = { id: made.length, destroyed: false };
        made.push(fake);
        return fake;
      },
      destroy: (fake) => {
        fake.destroyed = true;
      },
    });
    await expect(creating).rejects.toThrow('model missing');
    expect(made.map((fake) => fake.destroyed)).toEqual([true, true]);
  });

  it('rejects nonsense sizes', async () => {
    const options = { create: async () => ({}), destroy: () => {} };
    await expect(DecoderPool.create({ ...options, size: 0, maxQueue: 1 })).rejects.toThrow(RangeError);
    await expect(DecoderPool.create({ ...options, size: 1, maxQueue: -1 })).rejects.toThrow(RangeError);
  });

  it('sizes itself to the libuv thread pool by default', () => {
    expect(defaultPoolSize({})).toBe(4);
    expect(defaultPoolSize({ UV_THREADPOOL_SIZE: '8' })).toBe(8);
    expect(defaultPoolSize({ UV_THREADPOOL_SIZE: 'lots' })).toBe(4);
  });
});
