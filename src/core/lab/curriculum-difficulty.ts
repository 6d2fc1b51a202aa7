/**
 * A curriculum ranked by a finished run's loss (model.train.techniques.curriculum score 'loss'):
 * the named run scores the training texts, and each example's difficulty is its loss -log p[label].
 * Only the training examples are scored, never validation or test texts. A resumed run asks the
 * same run again and gets the same scores, so its order is the order the run started with.
 */
import type { Example } from '../data/types';
import type { ExperimentConfig } from '../experiment/config';
import { exampleLosses } from '../train/techniques/curriculum';
import type { Techniques } from '../train/techniques/config';
import { InputError } from '../util/errors';
import type { LabEvent } from './api';
import type { ModelOpener } from './run-model';

/** The training loop's settings of a model config, when it has a techniques block (neural models). */
function techniquesOf(model: ExperimentConfig['model']): Techniques | undefined {
  const m = model as { train?: { techniques?: Techniques } };
  return m.train?.techniques;
}

/** For a config whose curriculum ranks by a run's loss, the function that scores the training examples; otherwise undefined. */
export function curriculumDifficulty(
  open: ModelOpener,
  config: ExperimentConfig,
  classes: readonly string[],
  onEvent?: (e: LabEvent) => void,
): ((train: Example[]) => Promise<Float32Array>) | undefined {
  const c = techniquesOf(config.model)?.curriculum;
  if (c?.score !== 'loss' || !c.run) return undefined;
  const source = c.run;
  return (train) =>
    open(source, async (r) => {
      if (r.meta.classes.join('\n') !== classes.join('\n'))
        throw new InputError(`model.train.techniques.curriculum.run ${source} predicts the classes ${r.meta.classes.join(', ')}, this dataset has ${classes.join(', ')}`);
      const phase = `Curriculum: ${source} scoring ${train.length} training texts`;
      onEvent?.({ type: 'phase', phase, done: 0, total: 1 });
      const probs = await r.model.predictProba(train.map((e) => e.text));
      onEvent?.({ type: 'phase', phase, done: 1, total: 1 });
      return exampleLosses(
        probs,
        train.map((e) => e.label),
      );
    });
}
