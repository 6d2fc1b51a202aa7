/**
 * The one way a run gets its id: the start time to the second, the config's name and a short
 * suffix so two runs of one config started in the same second do not collide. The page uses it
 * as the id under `runs/`, the terminal as the default `runs/<id>` folder.
 */
export function newRunId(configName: string, now: Date = new Date(), suffix: string = Math.random().toString(36).slice(2, 6)): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}-${configName}-${suffix}`;
}
