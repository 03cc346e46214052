/**
 * Consensus optimisation's regulariser in the fused engine (Mescheder,
 * Nowozin & Geiger 2017, The Numerics of GANs): `∇(½‖v‖²) = Jᵀv`, v the
 * joint gradient field (D's gradient of its loss, G's of its own) and J its
 * Jacobian in both players' parameters, exactly.
 *
 * `Jᵀv` splits into two Hessian-vector products of single losses:
 * `Jᵀv = H_D·(v_D, 0) + H_G·(0, v_G)`, `H_D` and `H_G` the Hessians of D's and
 * G's losses in all parameters (symmetric, being Hessians of one function
 * each). Each is forward over reverse: the field's passes, then their
 * tangents along the direction (a tangent of the parameters carried through
 * each layer's forward pass, the tangent of its backward pass, each kind's
 * second-order part and, for a kind with parameters, its passes at the
 * tangent parameters; the loss's curvature where the two meet). A rectifier
 * contributes its slope on the side of its kink the input is on, as
 * tf.grads takes it. The reference engine differentiates ½‖v‖² with
 * tf.grads; `tests/consensus_test.ts` holds the two together.
 *
 * @module
 */
import { LOSS_KINDS, type LossKind, type Objective, type Side } from "../../kinds/losses/mod.ts";
import { chooseKernels, type Kernels } from "../../nn/kernels/mod.ts";
import type { BatchPlan } from "../plan.ts";
import { type FusedNetwork, fusedNetwork } from "./network.ts";

/**
 * The joint field's passes at a point `(d, g)`, taken: what the
 * Hessian-vector products carry their tangents through. A training
 * iteration whose players' gradients are on one z holds them already.
 */
export interface FieldPasses {
  readonly d: Float32Array;
  readonly g: Float32Array;
  /** D on the real sample, back-propagated from D's loss (at its logit where it has one). */
  readonly onReal: FusedNetwork;
  /** D on G(z), back-propagated from D's loss. */
  readonly onFakeForD: FusedNetwork;
  /** D on G(z), back-propagated from G's loss to its input. */
  readonly onFakeForG: FusedNetwork;
  /** G on z, back-propagated from G's loss (through `onFakeForG`). */
  readonly generator: FusedNetwork;
  /** v's parts: D's gradient of its loss and G's of its own, `[P, R]` each. */
  readonly vD: Float32Array;
  readonly vG: Float32Array;
}

/** A batch's consensus pass: its own networks' buffers and gradients. */
export interface ConsensusPass {
  /**
   * Adds `γ·Jᵀv` at the point `(d, g)` (`[P, R]` each, the fused layout) on
   * these samples (D's real input `[width, R·B]`, G's input `[in, R·B]`)
   * into the players' gradients given (either may be left out, and its
   * part is then not computed).
   */
  addRegulariser(
    gamma: number,
    d: Float32Array,
    g: Float32Array,
    real: Float32Array,
    z: Float32Array,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ): void;
  /** The same from the field's passes as given (which it does not change but for their tangents). */
  addRegulariserAt(
    gamma: number,
    field: FieldPasses,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ): void;
}

/**
 * Prepares a batch's consensus pass.
 *
 * @example
 * ```ts
 * import { assertAlmostEquals } from "@std/assert";
 * import { consensusPass } from "./consensus.ts";
 * import { planBatch } from "../plan.ts";
 * import { resolveConfig, trainingSetup } from "../../design/factors.ts";
 * const rates = { discriminator: 0.2, generator: 0.2 };
 * const setup = trainingSetup(resolveConfig("dirac", { loss: "bce_minimax", consensus: 1 }));
 * const plan = planBatch(setup, [{ seed: 1, learningRates: rates }]);
 * // The Dirac-GAN at (θ, ψ) = (1, 0): v = (½, 0) and Jᵀv = (⅛, ¼) in (ψ, θ).
 * const into = { discriminator: new Float32Array(1), generator: new Float32Array(1) };
 * consensusPass(plan).addRegulariser(1, Float32Array.of(0), Float32Array.of(1), Float32Array.of(0), Float32Array.of(1), into);
 * assertAlmostEquals(into.discriminator[0], 0.125, 1e-7);
 * assertAlmostEquals(into.generator[0], 0.25, 1e-7);
 * ```
 */
export function consensusPass(plan: BatchPlan, kernels: Kernels = chooseKernels()): ConsensusPass {
  const { runs, batchSize: batch, width, inputWidth } = plan;
  const network = (which: "discriminator" | "generator") =>
    fusedNetwork(plan[which], runs, batch, which === "discriminator" ? width : inputWidth, kernels);
  // D on the real sample, on G(z) for D's loss, on G(z) for G's (each keeps its own backward pass).
  const [onReal, onFakeForD, onFakeForG, G] = [
    network("discriminator"),
    network("discriminator"),
    network("discriminator"),
    network("generator"),
  ];
  const loss: LossKind = LOSS_KINDS[plan.loss];
  const last = plan.discriminator.layers.length - 1;
  const sigmoidHead = plan.discriminator.layers[last].type === "sigmoid";
  const dFrom = sigmoidHead && loss.discriminator.atLogit ? last - 1 : last;
  const gFrom = sigmoidHead && loss.generator.atLogit ? last - 1 : last;
  const gTop = plan.generator.layers.length - 1;
  const dSize = plan.discriminator.parameterCount;
  const shape = { runs, batch };
  const vD = kernels.floats(runs * dSize);
  const vG = kernels.floats(runs * plan.generator.parameterCount);
  const seed = kernels.floats(runs * batch);

  /** Seeds one objective at a D pass (at its logit where it has one) and returns the layer it starts from. */
  const seedAt = (objective: Objective, pass: FusedNetwork, side: Side, from: number) => {
    const output = pass.activations[last + 1];
    objective.fused.gradients(
      { [side]: output },
      shape,
      { [side]: pass.gradients[from + 1] },
      from !== last,
    );
    return from;
  };
  /** The tangent of an objective's gradient at a D pass, from the tangent at its logit (or output). */
  const tangentSeed = (
    objective: Objective,
    pass: FusedNetwork,
    side: Side,
    from: number,
    tangent: Float32Array,
  ) => {
    const tangents = objective.fused.tangents;
    if (!tangents) throw new Error(`the ${plan.loss} loss has no curvature for consensus`);
    const output = pass.activations[last + 1];
    tangents({ [side]: output }, { [side]: tangent }, shape, { [side]: seed }, from !== last);
    return seed;
  };
  /** `into += γ·(a (+ b))`, element by element. */
  const addScaled = (gamma: number, into: Float32Array, a: Float32Array, b?: Float32Array) => {
    for (let i = 0; i < into.length; i++) {
      into[i] += Math.fround(gamma * (b ? Math.fround(a[i] + b[i]) : a[i]));
    }
  };

  /** `Jᵀv`'s parts asked for, from the field's passes, added into `into` (v copied first: `into` may hold it). */
  const regulariseAt = (
    gamma: number,
    field: FieldPasses,
    into: { readonly discriminator?: Float32Array; readonly generator?: Float32Array },
  ) => {
    const [wantD, wantG] = [into.discriminator !== undefined, into.generator !== undefined];
    const { d, g, onReal, onFakeForD, onFakeForG, generator: G } = field;
    if (field.vD !== vD) vD.set(field.vD);
    if (field.vG !== vG) vG.set(field.vG);

    // H_D·(v_D, 0): D's loss along D's part of v. The real term has no G part.
    if (wantD) {
      const t = onReal.tangentForward(d, dFrom, undefined, vD);
      onReal.tangentBackward(
        d,
        dFrom,
        tangentSeed(loss.discriminator, onReal, "real", dFrom, t),
        vD,
        { parameters: true, input: false },
      );
    }
    const tFake = onFakeForD.tangentForward(d, dFrom, undefined, vD);
    onFakeForD.tangentBackward(
      d,
      dFrom,
      tangentSeed(loss.discriminator, onFakeForD, "fake", dFrom, tFake),
      vD,
      { parameters: wantD, input: wantG },
    );
    if (wantD) {
      addScaled(
        gamma,
        into.discriminator!,
        onReal.tangentParameterGradient,
        onFakeForD.tangentParameterGradient,
      );
    }
    if (wantG) {
      // G's tangent is zero along (v_D, 0): its part is G's backward pass of D's input tangent.
      G.tangentForward(g, gTop, undefined, undefined);
      G.tangentBackward(g, gTop, onFakeForD.tangentGradients[0], undefined, {
        parameters: true,
        input: false,
      });
      addScaled(gamma, into.generator!, G.tangentParameterGradient);
    }

    // H_G·(0, v_G): G's loss along G's part of v, through G(z) into D's pass on it.
    const tG = G.tangentForward(g, gTop, undefined, vG);
    const tScore = onFakeForG.tangentForward(d, gFrom, tG, undefined);
    onFakeForG.tangentBackward(
      d,
      gFrom,
      tangentSeed(loss.generator, onFakeForG, "fake", gFrom, tScore),
      undefined,
      { parameters: wantD, input: wantG },
    );
    if (wantD) addScaled(gamma, into.discriminator!, onFakeForG.tangentParameterGradient);
    if (wantG) {
      // G's backward pass of L_G must be the one just taken: G's gradients are v_G's.
      G.tangentBackward(g, gTop, onFakeForG.tangentGradients[0], vG, {
        parameters: true,
        input: false,
      });
      addScaled(gamma, into.generator!, G.tangentParameterGradient);
    }
  };

  return {
    addRegulariser(gamma, d, g, real, z, into) {
      // The field at the point: v_D from D's two terms, v_G through D's pass on G(z) and G.
      const fake = G.forward(z, g);
      onReal.forward(real, d);
      onReal.backward(d, seedAt(loss.discriminator, onReal, "real", dFrom), {
        parameters: true,
        input: false,
      });
      vD.set(onReal.parameterGradient);
      onFakeForD.forward(fake, d);
      onFakeForD.backward(d, seedAt(loss.discriminator, onFakeForD, "fake", dFrom), {
        parameters: true,
        input: false,
      });
      kernels.addInto(vD, onFakeForD.parameterGradient);
      onFakeForG.forward(fake, d);
      onFakeForG.backward(d, seedAt(loss.generator, onFakeForG, "fake", gFrom), {
        parameters: false,
        input: true,
      });
      G.gradients[gTop + 1].set(onFakeForG.gradients[0]);
      G.backward(g, gTop, { parameters: true, input: false });
      vG.set(G.parameterGradient);
      regulariseAt(gamma, { d, g, onReal, onFakeForD, onFakeForG, generator: G, vD, vG }, into);
    },
    addRegulariserAt: regulariseAt,
  };
}
