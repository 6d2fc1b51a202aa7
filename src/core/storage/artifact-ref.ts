/**
 * How an artifact points at what it does not hold itself: external files by reference (a base
 * model's weights for a LoRA run, a tokenizer's vocabulary) and other models as members (an
 * ensemble's or a cascade's). The asset store resolves references; the run home resolves runs.
 */

/**
 * A file by address: `hf:OWNER/NAME[@REV]/path` (the Hugging Face Hub), `https:`/`http:`,
 * `file:` (Node only) or `store:path` (the lab's own store). `sha256` (hex) and `bytes`, when
 * given, are checked on every resolution, so a changed or truncated file is refused.
 */
export interface AssetRef {
  uri: string;
  sha256?: string;
  bytes?: number;
}

/** External files an artifact needs, by the name the model uses for each (e.g. "base.weights"). */
export type ArtifactRefs = Record<string, AssetRef>;

/** One member of a composite artifact: another run, or an artifact held inline. */
export type ArtifactMember<A = unknown> = { name: string; weight?: number } & ({ run: string } | { artifact: A });
