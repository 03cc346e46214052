/**
 * What every normalisation declares: where it goes in a network built from
 * a shape, and which networks it may be used on.
 *
 * @module
 */
import type { Layer, LinearLayer } from "../../nn/layers/mod.ts";

/** A normalisation of the GAN literature, as one registry entry. */
export interface NormalisationKind {
  readonly description: string;
  readonly reference: string;
  /** A layer placed after each hidden activation, if it is one (e.g. LayerNorm). */
  afterHidden?(width: number): Layer;
  /** Rewrites each linear layer, if it wraps them (e.g. spectral norm). */
  wrapLinear?(layer: LinearLayer): LinearLayer;
  /** The networks it may be used on, and why not the others. */
  readonly networks: { readonly d: true; readonly g: true | string };
}
