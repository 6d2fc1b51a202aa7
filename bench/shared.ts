/** What the benchmarks share: the shared AG News files as train + test, and presets by name. */
import { readFileSync } from 'node:fs';
import { importDataset } from '../src/core/data';
import { parseExperimentConfig, type ExperimentConfig } from '../src/core/experiment/config';

export const DATA = '../shared/data/ag_news';

/**
 * The whole shared train.csv for training and the published test.csv, read once per benchmark
 * as plain files, the way the peers read them: outside the product's guarded test path.
 */
export async function agNewsTrainTest() {
  const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(`${DATA}/${name}`)) });
  const ds = await importDataset({ kind: 'agnews', files: ['train.csv', 'test.csv', 'classes.txt'].map(file) });
  return { train: [...ds.train, ...ds.validation], test: ds.test, classes: ds.meta.classes };
}

export function preset(name: string): ExperimentConfig {
  return parseExperimentConfig(JSON.parse(readFileSync(`configs/${name}.json`, 'utf8')), `configs/${name}.json`);
}
