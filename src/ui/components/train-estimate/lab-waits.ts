/**
 * The Train page's own calls that may time the machine (an estimate's first measurement, a
 * recommendation): the lab runs one job at a time, so a run started beside one of them would be
 * refused. Start waits for them instead, and holds new ones back until the run has begun.
 */
import { useMemo, useState } from 'react';

export interface LabWaits {
  /** Some tracked call is in flight. */
  busy: boolean;
  /** Runs `call` as a tracked one; refused (undefined) while a start is holding new calls back. */
  track: <T>(call: () => Promise<T>) => Promise<T> | undefined;
  /** Resolves when every tracked call has settled; new calls stay held back until `release`. */
  hold: () => Promise<void>;
  release: () => void;
  /** Whether a start is holding new calls back. */
  held: () => boolean;
}

export function useLabWaits(): LabWaits {
  const [count, setCount] = useState(0);
  const waits = useMemo(() => {
    const inFlight = new Set<Promise<unknown>>();
    let holding = false;
    return {
      track<T>(call: () => Promise<T>): Promise<T> | undefined {
        if (holding) return undefined;
        const p = call();
        inFlight.add(p);
        setCount((c) => c + 1);
        const done = () => {
          inFlight.delete(p);
          setCount((c) => c - 1);
        };
        p.then(done, done);
        return p;
      },
      async hold() {
        holding = true;
        while (inFlight.size) await Promise.allSettled([...inFlight]);
      },
      release() {
        holding = false;
      },
      held: () => holding,
    };
  }, []);
  return { ...waits, busy: count > 0 };
}
