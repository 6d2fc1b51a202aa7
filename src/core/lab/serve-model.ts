/**
 * A finished run's model held open for serving: read and loaded once (the lab's `predict` opens
 * and releases the model on every call, far too slow per HTTP request), then asked many times,
 * one call at a time, until closed. A cascade also says which of its members answered each text:
 * its members are watched as the cascade itself routes, so the stage is the cascade's own
 * decision and never a re-computation of it.
 */
import { CASCADE_KIND } from '../models/ensemble/config';
import type { Estimator, FitContext, LoadEnv } from '../models/estimator';
import { loadEstimator } from '../models/registry';
import type { Example } from '../data/types';
import { readFinishedRun } from '../runs/finished-run';
import type { RunHome } from '../runs/run-home';
import { LabError } from '../util/errors';
import { loadTreeModel, memberResolver, readArtifactTree, treeNeedsTensors } from './member-runs';

export interface ServedPrediction {
  /** One row per text, in the classes' order. */
  probs: Float32Array[];
  /** For a cascade: the index (into `stages`) of the member that answered each text. */
  stage?: number[];
}

export interface ServedModel {
  runId: string;
  classes: string[];
  /** The model's kind (`tfidf-svm`, `ensemble`, `cascade`, ...). */
  kind: string;
  /** A cascade's member names, cheapest first. */
  stages?: string[];
  predict(texts: string[]): Promise<ServedPrediction>;
  /** Releases the model; later calls are refused. Safe to call twice. */
  close(): void;
}

/** Forwards to a member and remembers the texts each call was given. */
class WatchedStage implements Estimator {
  readonly kind: string;
  readonly family: Estimator['family'];
  seen: Set<string> = new Set();
  constructor(private readonly inner: Estimator) {
    this.kind = inner.kind;
    this.family = inner.family;
  }
  fit(train: Example[], ctx: FitContext) {
    return this.inner.fit(train, ctx);
  }
  predictProba(texts: string[]) {
    for (const t of texts) this.seen.add(t);
    return this.inner.predictProba(texts);
  }
  save() {
    return this.inner.save();
  }
  parameterCount() {
    return this.inner.parameterCount();
  }
  dispose() {
    this.inner.dispose();
  }
}

export async function openServedModel(runs: RunHome, startBackend: () => Promise<unknown>, env: LoadEnv, runId: string): Promise<ServedModel> {
  const finished = await readFinishedRun(runs.folder(runId), `Run ${runId}`);
  const tree = await readArtifactTree(runs, runId);
  if (treeNeedsTensors(tree, runId)) await startBackend();
  const artifact = tree.get(runId)!;
  let model: Estimator;
  let watched: WatchedStage[] | undefined;
  if (artifact.kind === CASCADE_KIND) {
    const cascade = loadEstimator(artifact, env) as Estimator & { resolveMembers(r: ReturnType<typeof memberResolver>): Promise<void> };
    const resolve = memberResolver(tree, env);
    watched = [];
    const stages = watched;
    try {
      await cascade.resolveMembers(async (ref, name) => {
        const w = new WatchedStage(await resolve(ref, name));
        stages.push(w);
        return w;
      });
    } catch (e) {
      cascade.dispose();
      throw e;
    }
    model = cascade;
  } else model = await loadTreeModel(tree, runId, env);

  let closed = false;
  // Calls run one after another: watched stages and tensor backends are not shared safely.
  let queue: Promise<unknown> = Promise.resolve();
  const predictNow = async (texts: string[]): Promise<ServedPrediction> => {
    if (closed) throw new LabError(`Run ${runId} is no longer being served`);
    watched?.forEach((w) => (w.seen = new Set()));
    const probs = await model.predictProba(texts);
    if (!watched) return { probs };
    // Identical texts route identically, so the last member given a text is the one that answered it.
    const stage = texts.map((t) => watched!.reduce((last, w, j) => (w.seen.has(t) ? j : last), 0));
    return { probs, stage };
  };
  const config = (artifact.meta as { config?: { members?: string[] } } | undefined)?.config;
  return {
    runId,
    classes: finished.meta.classes,
    kind: artifact.kind,
    stages: watched ? config?.members : undefined,
    predict(texts) {
      const next = queue.then(() => predictNow(texts));
      queue = next.catch(() => undefined);
      return next;
    },
    close() {
      if (closed) return;
      closed = true;
      model.dispose();
    },
  };
}
