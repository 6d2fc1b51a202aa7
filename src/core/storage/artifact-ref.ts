/**
 * How an artifact points at what it does not hold itself: external files by reference (a base
 * model's weights for a LoRA run, a tokenizer's vocabulary) and other models as members (an
 * ensemble's or a cascade's). The asset store (asset-store.ts) resolves the references. These
 * types sit in the storage layer so that models above and the lab beside it share one shape.
 */

/**
 * A file by address: `hf:OWNER/NAME[@REV]/path` (the Hugging Face Hub), `https:`/`http:`,
 * `file:` (Node only) or `store:path` (the lab's own store, e.g. another run's checkpoint).
 * `sha256` (hex) and `bytes`, when given, are checked on every resolution, so a changed or
 * truncated file is refused.
 */
export interface AssetRef {
  uri: string;
  sha256?: string;
  bytes?: number;
}

/** One member of a composite artifact `A`: carried inline, or referenced where it is stored once. */
export type ArtifactMember<A> = { name: string; weight?: number } & ({ artifact: A; ref?: never } | { ref: AssetRef; artifact?: never });
