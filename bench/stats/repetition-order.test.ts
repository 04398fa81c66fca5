import { describe, expect, it } from 'vitest';
import { repetitionOrder } from './repetition-order.js';

const names = (order: readonly { variant: string }[]) => order.map((run) => run.variant).join(' ');

describe('repetition order', () => {
  it('alternates which variant goes first: A B B A A B …', () => {
    expect(names(repetitionOrder(['A', 'B'], 4))).toBe('A B B A A B B A');
    expect(names(repetitionOrder(['A', 'B'], 3))).toBe('A B B A A B');
    expect(repetitionOrder(['A', 'B'], 2)).toEqual([
      { variant: 'A', repetition: 0 },
      { variant: 'B', repetition: 0 },
      { variant: 'B', repetition: 1 },
      { variant: 'A', repetition: 1 },
    ]);
  });

  it('gives every variant the same total position for an even count, so a linear drift cancels', () => {
    const order = repetitionOrder(['grpc', 'rest-json-h1', 'rest-json-h2'], 4);
    expect(names(order)).toBe(
      'grpc rest-json-h1 rest-json-h2 rest-json-h2 rest-json-h1 grpc grpc rest-json-h1 rest-json-h2 rest-json-h2 rest-json-h1 grpc',
    );
    const positionSum = (variant: string) =>
      order.reduce((sum, run, position) => sum + (run.variant === variant ? position : 0), 0);
    expect(new Set(['grpc', 'rest-json-h1', 'rest-json-h2'].map(positionSum)).size).toBe(1);
  });

  it('handles the degenerate cases and refuses bad input', () => {
    expect(repetitionOrder(['A', 'B'], 0)).toEqual([]);
    expect(names(repetitionOrder(['A'], 3))).toBe('A A A');
    expect(() => repetitionOrder(['A', 'B'], 1.5)).toThrow(RangeError);
    expect(() => repetitionOrder(['A', 'A'], 2)).toThrow(RangeError);
  });
});
