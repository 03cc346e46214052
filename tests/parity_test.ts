/**
 * Both engines replay every PyTorch reference run in tests/parity within
 * tolerance, and `deno task parity` says so.
 */
import { assert, assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";
import { PARITY_TOLERANCE, readCases, replayCase } from "../src/engine/parity.ts";
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
    const penalty = reference.penalty?.type;
    const expected = engine === "reference" || penalty === "r1" || penalty === "gradient_penalty"
      ? "reference"
      : "fused";
    assertEquals(result.engine, expected);
    assert(
      result.lossError <= PARITY_TOLERANCE,
      `worst loss error ${result.lossError} > ${PARITY_TOLERANCE}`,
    );
    assert(result.outputError <= 1e-2, `worst output error ${result.outputError}`);
    assert(result.weightError <= 1e-2, `final weight error ${result.weightError}`);
    assertEquals(result.pass, true);
  });
}

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
