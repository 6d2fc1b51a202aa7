/**
 * Which phase of a job is running, and what that phase may read. Test scores are only honest
 * when nothing that chose the model (fitting, validation, hyper-parameter search, ensemble
 * weighting) ever saw the test split; so code running in those phases is refused the test
 * split outright, not merely logged.
 *
 * The current phase is module-level state. That is sound here because the worker and the CLI
 * run one job at a time; `withPhase` restores the previous phase on exit, so phases nest.
 */
import { GuardError } from '../util/errors';

export const PHASES = ['idle', 'training', 'validation', 'search', 'ensemble-weighting', 'evaluation'] as const;
export type Phase = (typeof PHASES)[number];

/** What each phase may read. Only 'evaluation' and 'idle' (scripts, the CLI's eval) see test. */
export interface AccessPolicy {
  readonly testSplit: boolean;
  /** Plain words for refusal messages: "during training". */
  readonly label: string;
}

export const ACCESS_POLICY: Readonly<Record<Phase, AccessPolicy>> = {
  idle: { testSplit: true, label: 'outside any job phase' },
  training: { testSplit: false, label: 'during training' },
  validation: { testSplit: false, label: 'during validation' },
  search: { testSplit: false, label: 'during hyper-parameter search' },
  'ensemble-weighting': { testSplit: false, label: 'during ensemble weighting' },
  evaluation: { testSplit: true, label: 'during final evaluation' },
};

// A stack rather than one slot: a search that trains inner models nests 'training' in 'search',
// and leaving the inner phase must return to the outer one, not to 'idle'.
const stack: Phase[] = [];

export function currentPhase(): Phase {
  return stack.length === 0 ? 'idle' : stack[stack.length - 1];
}

/** The phases now active, outermost first. */
export function activePhases(): readonly Phase[] {
  return [...stack];
}

/** The first active phase that forbids the test split (the outermost one wins). */
function restrictingPhase(): Phase | undefined {
  return stack.find((p) => !ACCESS_POLICY[p].testSplit);
}

/**
 * Throws GuardError when any active phase forbids reading the test split. `what` names the
 * attempted access for the message, e.g. 'evaluateTest on "ds-1"'.
 */
export function assertTestAllowed(what: string): void {
  const p = restrictingPhase();
  if (p === undefined) return;
  throw new GuardError(
    `${what} refused: the test split cannot be read ${ACCESS_POLICY[p].label} (phase "${p}"); ` + 'finish this phase and evaluate once, in the evaluation phase',
    { phase: p, phases: [...stack] },
  );
}

/** Whether test access would be allowed right now (for UIs that grey out a button). */
export function testAllowed(): boolean {
  return restrictingPhase() === undefined;
}

/**
 * Runs `fn` with `phase` active. Entering 'evaluation' (or 'idle') inside a restricted phase is
 * refused: otherwise a training loop could wrap a test read in withPhase('evaluation').
 */
export async function withPhase<T>(phase: Phase, fn: () => Promise<T> | T): Promise<T> {
  if (!(PHASES as readonly string[]).includes(phase)) throw new GuardError(`Unknown phase "${String(phase)}"; expected one of ${PHASES.join(', ')}`);
  const outer = restrictingPhase();
  if (ACCESS_POLICY[phase].testSplit && outer !== undefined) {
    throw new GuardError(`Cannot enter phase "${phase}" ${ACCESS_POLICY[outer].label} (phase "${outer}"): evaluation starts after the job's other phases end`, {
      phase: outer,
    });
  }
  stack.push(phase);
  const depth = stack.length;
  try {
    return await fn();
  } finally {
    // Pop exactly our frame even if an inner caller forgot to unwind (it threw mid-push).
    stack.length = depth - 1;
  }
}

/** Clears all phases. For tests and for a worker recovering from a crashed job. */
export function resetPhases(): void {
  stack.length = 0;
}
