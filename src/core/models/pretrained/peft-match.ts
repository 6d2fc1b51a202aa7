/**
 * How PEFT picks modules by name: `target_modules` (a list: the module name equals an entry or
 * ends with '.' + entry; a string: a regular expression the whole name must match) and
 * `modules_to_save` (a plain suffix test on the module and its parents, so 'classifier' also
 * catches DistilBERT's 'pre_classifier', as PEFT does).
 */

export type TargetModules = string[] | string;

export function isTarget(module: string, targets: TargetModules): boolean {
  if (typeof targets === 'string') return new RegExp(`^(?:${targets})$`).test(module);
  return targets.some((t) => module === t || module.endsWith(`.${t}`));
}

/** Whether a weight (`classifier.dense.weight`) lies in a module PEFT would wrap with ModulesToSave. */
export function isSavedModule(weight: string, modulesToSave: readonly string[]): boolean {
  const parts = weight.split('.').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const module = parts.slice(0, i).join('.');
    if (modulesToSave.some((m) => module.endsWith(m))) return true;
  }
  return false;
}

/** Names of the linear modules of a model: rank-2 `.weight` tensors that are not embedding tables. */
export function linearModules(weights: ReadonlyMap<string, { rank: number }>): string[] {
  const out: string[] = [];
  for (const [name, t] of weights) {
    if (name.endsWith('.weight') && t.rank === 2 && !/embeddings\./.test(name)) out.push(name.slice(0, -'.weight'.length));
  }
  return out;
}
