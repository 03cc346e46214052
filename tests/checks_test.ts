/**
 * The convergence checks give each verdict on synthetic curves made to show it:
 * two answers per run (did G learn the pattern; how did training end) and the
 * combined label, which never hides a learned pattern.
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import {
  checkRun,
  DEFAULT_THRESHOLDS,
  type Ending,
  ENDINGS,
  type Verdict,
  VERDICTS,
} from "../src/results/checks.ts";
import { SEED_PATTERN } from "../src/core/data.ts";
import type { RunRecord } from "../src/engine/records.ts";
import type { LossName } from "../src/kinds/losses/mod.ts";

const RECORDS = 100; // every 10 iterations up to 1,000
const PATTERNS = 10; // every 100 iterations

interface Shape {
  dReal: (k: number) => number;
  dFake: (k: number) => number;
  g: (k: number) => number;
  dOfFake?: (k: number) => number;
  output?: (k: number) => number[];
  divergedAt?: number | null;
}

function synthetic(shape: Shape): RunRecord {
  const curve = (f: (k: number) => number) =>
    Float32Array.from({ length: RECORDS }, (_, k) => f(k));
  const outputs = Array.from({ length: PATTERNS }, (_, k) => (shape.output ?? (() => GOOD))(k));
  return {
    seed: 1,
    curveIterations: Array.from({ length: RECORDS }, (_, k) => 10 * (k + 1)),
    curves: {
      d_loss_real: curve(shape.dReal),
      d_loss_fake: curve(shape.dFake),
      g_loss: curve(shape.g),
      d_real: curve(() => 0.5),
      d_fake: curve(shape.dOfFake ?? (() => 0.5)),
      penalty: curve(() => 0),
    },
    patternIterations: Array.from({ length: PATTERNS }, (_, k) => 100 * (k + 1)),
    patterns: Float32Array.from(outputs.flat()),
    divergedAt: shape.divergedAt ?? null,
    finalParameters: { discriminator: new Float32Array(), generator: new Float32Array() },
  };
}

const GOOD = [0.91, 0.1, 0.88, 0.09, 0.9, 0.12];
const WRONG = [0.5, 0.5, 0.1, 0.9, 0.5, 0.5];
const LN2 = Math.LN2;
const steady = (value: number) => () => value;

function verdict(loss: LossName, shape: Shape): Verdict {
  return checkRun(synthetic(shape), loss, SEED_PATTERN, DEFAULT_THRESHOLDS[loss]).verdict;
}

Deno.test("converged: losses at ln 2, D(G(z)) at 0.5, G emits the pattern", () => {
  assertEquals(
    verdict("bce", { dReal: steady(LN2), dFake: steady(LN2), g: steady(LN2) }),
    "converged",
  );
  assertEquals(
    verdict("mse", { dReal: steady(0.25), dFake: steady(0.25), g: steady(0.25) }),
    "converged",
  );
});

Deno.test("equilibrium_only: losses at target but G's output is not the pattern", () => {
  const shape = { dReal: steady(LN2), dFake: steady(LN2), g: steady(LN2), output: () => WRONG };
  assertEquals(verdict("bce", shape), "equilibrium_only");
});

Deno.test("discriminator_wins: D's loss near 0, G's far above ln 2", () => {
  assertEquals(
    verdict("bce", {
      dReal: steady(0.01),
      dFake: steady(0.02),
      g: steady(27),
      output: () => WRONG,
    }),
    "discriminator_wins",
  );
});

Deno.test("oscillating: losses swing around the target", () => {
  const swing = (k: number) => LN2 + 0.4 * Math.sin(k);
  assertEquals(
    verdict("bce", { dReal: swing, dFake: swing, g: swing, output: () => WRONG }),
    "oscillating",
  );
});

Deno.test("no_equilibrium: steady, but away from the target and D not winning", () => {
  assertEquals(
    verdict("bce", { dReal: steady(0.9), dFake: steady(0.5), g: steady(0.9), output: () => WRONG }),
    "no_equilibrium",
  );
  const offCentre = {
    dReal: steady(LN2),
    dFake: steady(LN2),
    g: steady(LN2),
    dOfFake: steady(0.7),
    output: () => WRONG,
  };
  assertEquals(verdict("bce", offCentre), "no_equilibrium");
});

Deno.test("diverged: NaN anywhere, or G's output exploding", () => {
  const nan = {
    dReal: steady(NaN),
    dFake: steady(LN2),
    g: steady(LN2),
    divergedAt: 10,
    output: () => GOOD.map(() => NaN),
  };
  assertEquals(verdict("bce", nan), "diverged");
  const exploding = {
    dReal: steady(LN2),
    dFake: steady(LN2),
    g: steady(LN2),
    output: () => [1e4, 0, 1, 0, 1, 0],
  };
  assertEquals(verdict("bce", exploding), "diverged");
});

Deno.test("the checks look only at the trailing window", () => {
  // Wild for the first 90% of the run, converged in the last 10%.
  const late = (k: number) => (k < 90 ? 5 * Math.sin(k) + 3 : LN2);
  const result = checkRun(
    synthetic({ dReal: late, dFake: late, g: late }),
    "bce",
    SEED_PATTERN,
    DEFAULT_THRESHOLDS.bce,
  );
  assertEquals(result.verdict, "converged");
  assertAlmostEquals(result.values.d_loss_real_mean, LN2, 1e-6);
  assertAlmostEquals(result.values.loss_sd_max, 0, 1e-6);
  const wider = checkRun(
    synthetic({ dReal: late, dFake: late, g: late }),
    "bce",
    SEED_PATTERN,
    { ...DEFAULT_THRESHOLDS.bce, window: 0.5 },
  );
  // The wider window sees the wild part: training did not settle, though G ends on the pattern.
  assertEquals([wider.ending, wider.verdict], ["oscillating", "pattern_only"]);
});

Deno.test("measured values: pattern error against the centres, ordering, D(G(z)) error", () => {
  const { values } = checkRun(
    synthetic({ dReal: steady(LN2), dFake: steady(LN2), g: steady(LN2), dOfFake: steady(0.46) }),
    "bce",
    SEED_PATTERN,
    DEFAULT_THRESHOLDS.bce,
  );
  const centre = [0.9, 0.1, 0.9, 0.1, 0.9, 0.1];
  const expected = GOOD.reduce((sum, v, i) => sum + Math.abs(v - centre[i]), 0) / 6;
  assertAlmostEquals(values.pattern_error, expected, 1e-6);
  assert(values.pattern_ordered);
  assertAlmostEquals(values.d_fake_error, 0.04, 1e-6);
  assertAlmostEquals(values.equilibrium_error, 0, 1e-6);
  assertEquals(values.diverged_at, "");
});

Deno.test("outputs that only average to the pattern are not the pattern", () => {
  const far = [1.8, 0.2, 1.8, 0.2, 1.8, 0.2];
  const flat = [0, 0, 0, 0, 0, 0];
  const alternating = {
    dReal: steady(LN2),
    dFake: steady(LN2),
    g: steady(LN2),
    output: (k: number) => (k % 2 === 0 ? far : flat),
  };
  // The last 20% of the run holds two recorded outputs, one of each.
  const { values, verdict: result } = checkRun(
    synthetic(alternating),
    "bce",
    SEED_PATTERN,
    { ...DEFAULT_THRESHOLDS.bce, window: 0.2 },
  );
  assertEquals(result, "equilibrium_only");
  assertAlmostEquals(values.pattern_error, 0.5, 1e-6);
  assertAlmostEquals(values.pattern_ordered_fraction, 0.5, 1e-6);
  assertEquals(values.pattern_ordered, false);
});

/** Loss curves that end each way, for the BCE and MSE targets. */
function endingShape(loss: LossName, ending: Ending): Shape {
  const target = loss === "bce" ? LN2 : 0.25;
  switch (ending) {
    case "equilibrium":
      return { dReal: steady(target), dFake: steady(target), g: steady(target) };
    case "no_equilibrium": // D keeps a slight edge: its fake-sample loss a little above target.
      return {
        dReal: steady(target),
        dFake: steady(target * 1.12),
        g: steady(target),
        dOfFake: steady(0.52),
      };
    case "oscillating": {
      const swing = (k: number) => target + 0.4 * Math.sin(k);
      return { dReal: swing, dFake: swing, g: swing };
    }
    case "discriminator_wins":
      return { dReal: steady(0.01), dFake: steady(0.02), g: steady(27) };
    case "diverged":
      return { dReal: steady(NaN), dFake: steady(target), g: steady(target), divergedAt: 10 };
  }
}

const EXPECTED_LABEL: Record<Ending, [learned: Verdict, notLearned: Verdict]> = {
  equilibrium: ["converged", "equilibrium_only"],
  no_equilibrium: ["pattern_only", "no_equilibrium"],
  oscillating: ["pattern_only", "oscillating"],
  discriminator_wins: ["pattern_only", "discriminator_wins"],
  diverged: ["pattern_only", "diverged"],
};

for (const loss of ["bce", "mse"] as const) {
  Deno.test(`${loss}: each ending × pattern learned or not gives both answers and the label`, () => {
    for (const ending of ENDINGS) {
      for (const learned of [true, false]) {
        const shape = { ...endingShape(loss, ending), output: () => (learned ? GOOD : WRONG) };
        const result = checkRun(synthetic(shape), loss, SEED_PATTERN, DEFAULT_THRESHOLDS[loss]);
        const label = EXPECTED_LABEL[ending][learned ? 0 : 1];
        assertEquals(
          [result.patternLearned, result.ending, result.verdict],
          [learned, ending, label],
          `${ending}, pattern ${learned ? "learned" : "not learned"}`,
        );
        // A learned pattern is never labelled as if it had not been.
        assertEquals(["converged", "pattern_only"].includes(result.verdict), learned);
      }
    }
  });
}

Deno.test("every label is reached and ranks from worst to best", () => {
  const labels = new Set(Object.values(EXPECTED_LABEL).flat());
  assertEquals(VERDICTS.filter((v) => !labels.has(v)), []);
  assertEquals(VERDICTS.at(-1), "converged");
});

Deno.test("the pattern answer uses patternTolerance alone; the ending every other threshold", () => {
  const shape = { ...endingShape("mse", "no_equilibrium"), output: () => GOOD };
  const strict = checkRun(synthetic(shape), "mse", SEED_PATTERN, {
    ...DEFAULT_THRESHOLDS.mse,
    patternTolerance: 0.001,
  });
  assertEquals([strict.patternLearned, strict.ending], [false, "no_equilibrium"]);
  const tolerant = checkRun(synthetic(shape), "mse", SEED_PATTERN, {
    ...DEFAULT_THRESHOLDS.mse,
    lossTolerance: 0.5,
    dFakeTolerance: 0.5,
  });
  assertEquals([tolerant.patternLearned, tolerant.ending, tolerant.verdict], [
    true,
    "equilibrium",
    "converged",
  ]);
});
