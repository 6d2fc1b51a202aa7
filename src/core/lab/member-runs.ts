/**
 * Models that reference other runs (ensembles and cascades hold `run:<id>` members, never copies)
 * open here: every run the tree references is read first, so the lab knows before loading any
 * weights whether some member needs a tensor backend, and a member missing or unfinished is
 * refused by name before anything is built. Members may themselves be ensembles.
 */
import type { AssetRef, Estimator, LoadEnv, ModelArtifact } from '../models/estimator';
import type { MemberResolver } from '../models/ensemble/ensemble-estimator';
import { loadEstimator, predictsWithTensors } from '../models/registry';
import { readFinishedRun } from '../runs/finished-run';
import type { RunHome } from '../runs/run-home';
import { InputError } from '../util/errors';

const RUN_SCHEME = 'run:';

/** The run id a member reference points at, or undefined when it is no run reference. */
export function runIdOfRef(ref: AssetRef | undefined): string | undefined {
  return ref?.uri.startsWith(RUN_SCHEME) ? ref.uri.slice(RUN_SCHEME.length) : undefined;
}

/** The saved models of a run and of every run it references, by run id. */
export type ArtifactTree = Map<string, ModelArtifact>;

/** Reads `runId`'s artifact and, transitively, its member runs' (each must be a finished run); a run that contains itself is refused. */
export async function readArtifactTree(runs: RunHome, runId: string, tree: ArtifactTree = new Map(), path: string[] = []): Promise<ArtifactTree> {
  if (path.includes(runId)) throw new InputError(`Run ${runId} contains itself through its members (${[...path, runId].join(' -> ')})`);
  if (tree.has(runId)) return tree;
  const run = runs.folder(runId);
  await readFinishedRun(run, path.length ? `Member run ${runId} of ${path.at(-1)}` : `Run ${runId}`);
  const artifact = await run.loadModel();
  tree.set(runId, artifact);
  for (const m of artifact.members ?? []) {
    const id = runIdOfRef(m.ref);
    if (id !== undefined) await readArtifactTree(runs, id, tree, [...path, runId]);
  }
  return tree;
}

/** Whether the model of `runId` (with its member runs) predicts with tensors. */
export function treeNeedsTensors(tree: ArtifactTree, runId: string): boolean {
  return predictsWithTensors(tree.get(runId)!, (ref) => {
    const id = runIdOfRef(ref);
    return id === undefined ? undefined : tree.get(id);
  });
}

interface Composite {
  resolveMembers(resolve: MemberResolver): Promise<void>;
}
const isComposite = (m: Estimator): m is Estimator & Composite => typeof (m as Partial<Composite>).resolveMembers === 'function';

/** The loaded model of `runId` with its member runs loaded into it (the model owns and disposes them). */
export async function loadTreeModel(tree: ArtifactTree, runId: string, env: LoadEnv): Promise<Estimator> {
  const artifact = tree.get(runId);
  if (!artifact) throw new InputError(`Run ${runId} was not read before loading`);
  const model = loadEstimator(artifact, env);
  if (!isComposite(model)) return model;
  try {
    await model.resolveMembers(memberResolver(tree, env));
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Resolves `run:<id>` member references from an already-read tree. */
export function memberResolver(tree: ArtifactTree, env: LoadEnv): MemberResolver {
  return async (ref, name) => {
    const id = runIdOfRef(ref);
    if (id === undefined) throw new InputError(`Member ${name}: ${ref.uri} is not a run reference (run:<id>)`);
    return loadTreeModel(tree, id, env);
  };
}
