/**
 * Both engines replay every PyTorch reference run in tests/parity (formats
 * 1 to 7: README.md, README-format-2.md, README-format-3.md,
 * README-format-4.md, README-format-5.md, README-format-6.md,
 * README-format-7.md) within
 * tolerance, and `deno task parity` says so; a file with a field or a
 * scheme the replay does not support fails, naming it.
 */
import { assert, assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import {
  PARITY_TOLERANCE,
  type ParityCase,
  readCases,
  replayCase,
  UnsupportedFixture,
} from "../src/engine/parity.ts";
import { ENGINES } from "../src/engine/train.ts";

const DIRECTORY = new URL("./parity", import.meta.url).pathname;
await useBackend();
const cases = await readCases(DIRECTORY);

Deno.test("there are reference runs to check against", () => {
  assert(cases.length >= 4, `only ${cases.length} cases in ${DIRECTORY}`);
});

for (const [reference, engine] of cases.flatMap((c) => ENGINES.map((e) => [c, e] as const))) {
  Deno.test(`parity on the ${engine} engine: ${reference.case} matches PyTorch at every iteration`, async () => {
    const result = await replayCase(reference, engine);
    assertEquals(result.engine, engine);
    assert(
      result.lossError <= PARITY_TOLERANCE,
      `worst loss error ${result.lossError} > ${PARITY_TOLERANCE}`,
    );
    assert(result.outputError <= 1e-2, `worst output error ${result.outputError}`);
    assert(result.weightError <= 1e-2, `final weight error ${result.weightError}`);
    assertEquals(result.pass, true);
  });
}

Deno.test("the format-6 fixtures train TensorFlow's RMSprop, and PyTorch's in their place misses them", async () => {
  const tf1 = cases.filter((c) => c.format === 6);
  assert(tf1.length >= 2, `${tf1.length} format-6 cases`);
  for (const reference of tf1) {
    assertEquals(reference.discriminator.optimiser.name, "rmsprop_tf");
    assertEquals(reference.generator.optimiser.name, "rmsprop_tf");
  }
  // The fixture pins the rule: PyTorch's RMSprop at the same rate strays past the tolerance.
  const [first] = tf1;
  const torch = (network: ParityCase["discriminator"]) => ({
    ...network,
    optimiser: { name: "rmsprop", lr: network.optimiser.lr },
  });
  const swapped = {
    ...first,
    discriminator: torch(first.discriminator),
    generator: torch(first.generator),
  } as ParityCase;
  const result = await replayCase(swapped, "fused");
  assert(result.lossError > PARITY_TOLERANCE, `PyTorch's RMSprop within ${result.lossError}`);
});

Deno.test("the format-7 fixtures pin G's reused batch: the iteration's first z in its place misses them", async () => {
  const reused = cases.filter((c) => c.generator_batch === "reuse");
  assert(reused.length >= 2, `${reused.length} format-7 cases`);
  const alternating = reused.find((c) => (c.d_steps ?? 1) === 2)!;
  // As "new" with G's z the iteration's first critic z (reuse takes the last): each iteration
  // draws z₁, z₂ and G's z₁ again.
  const batch = alternating.batch_size ?? 1;
  const rows = alternating.z_samples!;
  const perIteration = 2 * batch;
  const z: (readonly number[])[] = [];
  for (let at = 0; at < rows.length; at += perIteration) {
    const [first, second] = [rows.slice(at, at + batch), rows.slice(at + batch, at + perIteration)];
    z.push(...first, ...second, ...first);
  }
  const first = await replayCase({ ...alternating, generator_batch: "new", z_samples: z }, "fused");
  assert(first.lossError > PARITY_TOLERANCE, `the first z within ${first.lossError}`);
});

Deno.test("deno task parity exits 1 when a case does not match", async () => {
  const directory = await Deno.makeTempDir();
  try {
    const broken = structuredClone(cases.find((c) => c.loss === "bce")!);
    (broken.steps[5] as { g_loss: number }).g_loss += 0.01;
    await Deno.writeTextFile(`${directory}/broken.json`, JSON.stringify(broken));
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "src/cli/parity.ts", directory],
      cwd: new URL("..", import.meta.url).pathname,
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    assertEquals(output.code, 1, text);
    assert(text.includes("FAIL"), text);
    assert(text.includes(`0 passed, ${ENGINES.length} failed`), text); // one row per engine
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("a reference run the replay cannot reproduce fails and names what it does not support", async () => {
  const joint = cases.find((c) => c.case === "scheme-joint-bce-adam")!;
  assert(joint, "scheme-joint-bce-adam is in tests/parity");
  const variants: [string, Record<string, unknown>][] = [
    ['updates "sometimes"', { updates: "sometimes" }],
    ["instance_noise without instance_noise_samples", { instance_noise: 0.1 }],
    ['field "colour"', { colour: "red" }],
    ['d_update "sometimes"', { d_update: "sometimes" }],
    ["format 8", { format: 8 }],
    ['generator_batch "sometimes"', { format: 7, generator_batch: "sometimes" }],
    ["generator_batch in format 3 (format 7 on)", { generator_batch: "reuse" }],
    ['discriminator optimiser: "rmsprop_tf" in format 3 (format 6 on)', {
      discriminator: { ...joint.discriminator, optimiser: { name: "rmsprop_tf", lr: 0.01 } },
    }],
    ['generator optimiser: field "momentum" (adam takes lr, beta1, beta2, eps)', {
      generator: { ...joint.generator, optimiser: { ...joint.generator.optimiser, momentum: 0.9 } },
    }],
    ["batch_size 0", { batch_size: 0 }],
    ['generator_input {"noise":0}', { generator_input: { noise: 0 } }],
    ['generator_input {"uniform":2}', { generator_input: { uniform: 2 } }],
    ["a noise generator_input without z_samples", { generator_input: { noise: 1 } }],
    ["consensus -1", { consensus: -1 }],
    ['data "ring"', { data: "ring" }],
    ['discriminator layer 0: field "bias_init"', {
      discriminator: {
        ...joint.discriminator,
        layers: [
          { ...joint.discriminator.layers[0], bias_init: 0 },
          ...joint.discriminator.layers.slice(1),
        ],
      },
    }],
  ];
  for (const [named, change] of variants) {
    const variant = { ...joint, ...change } as ParityCase;
    let error: unknown;
    await replayCase(variant).catch((caught) => (error = caught));
    assert(error instanceof UnsupportedFixture, `${named}: ${error}`);
    assert((error as Error).message.includes(named), (error as Error).message);
  }
});

Deno.test("deno task parity fails a file it cannot replay, names why, and still replays the rest", async () => {
  const directory = await Deno.makeTempDir();
  try {
    const joint = cases.find((c) => c.case === "scheme-joint-bce-adam")!;
    await Deno.writeTextFile(`${directory}/joint.json`, JSON.stringify(joint));
    await Deno.writeTextFile(
      `${directory}/sometimes.json`,
      JSON.stringify({ ...joint, case: "sometimes", updates: "sometimes" }),
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "src/cli/parity.ts", directory],
      cwd: new URL("..", import.meta.url).pathname,
    }).output();
    const [stdout, stderr] = [output.stdout, output.stderr].map((b) => new TextDecoder().decode(b));
    assertEquals(output.code, 1, stdout);
    assert(stderr.includes('sometimes: unsupported updates "sometimes"'), stderr);
    assert(stdout.includes(`${ENGINES.length} passed, ${ENGINES.length} failed`), stdout);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
