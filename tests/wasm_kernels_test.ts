/**
 * The faster wasm Slice, SplitV and Concat kernels give what the definitions
 * say, on every axis and dtype the engine could meet.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals } from "@std/assert";
import { useBackend } from "../src/engine/backend.ts";

await useBackend();

const SHAPE = [4, 3, 5];

function reference(begin: number[], size: number[]): unknown {
  const pick = (depth: number, prefix: number[]): unknown =>
    depth === SHAPE.length
      ? prefix.reduce((flat, index, d) => flat * SHAPE[d] + index, 0)
      : Array.from({ length: size[depth] }, (_, i) =>
        pick(depth + 1, [...prefix, begin[depth] + i]));
  return pick(0, []);
}

const source = () => tf.tensor(Array.from({ length: 60 }, (_, i) => i), SHAPE);

Deno.test("slice copies exactly the block asked for, on every axis", () => {
  const x = source();
  for (
    const [begin, size] of [
      [[0, 0, 0], [4, 3, 5]],
      [[1, 0, 0], [2, 3, 5]],
      [[0, 1, 0], [4, 1, 5]],
      [[0, 0, 2], [4, 3, 2]],
      [[3, 2, 4], [1, 1, 1]],
      [[1, 1, 1], [0, 2, 3]],
    ]
  ) {
    const part = tf.slice(x, begin, size);
    assertEquals(part.shape, size);
    assertEquals([...part.dataSync()], [reference(begin, size)].flat(3), `${begin} ${size}`);
  }
});

Deno.test("split along each axis gives the consecutive blocks", () => {
  const x = source();
  for (const axis of [0, 1, 2]) {
    const sizes = axis === 0 ? [1, 3] : axis === 1 ? [2, 1] : [2, 0, 3];
    let start = 0;
    for (const [k, part] of tf.split(x, sizes, axis).entries()) {
      const begin = [0, 0, 0];
      const size = [...SHAPE];
      begin[axis] = start;
      size[axis] = sizes[k];
      assertEquals(part.shape, size);
      assertEquals(
        [...part.dataSync()],
        [reference(begin, size)].flat(3),
        `axis ${axis} part ${k}`,
      );
      start += sizes[k];
    }
  }
});

Deno.test("concat along each axis undoes split, for float32, int32 and bool", () => {
  for (const dtype of ["float32", "int32", "bool"] as const) {
    const x = tf.cast(tf.tensor(Array.from({ length: 60 }, (_, i) => i % 3), SHAPE), dtype);
    for (const axis of [0, 1, 2]) {
      const parts = tf.split(x, axis === 2 ? [1, 4] : [SHAPE[axis] - 1, 1], axis);
      const joined = tf.concat(parts, axis);
      assertEquals(joined.dtype, dtype);
      assertEquals(joined.arraySync(), x.arraySync(), `${dtype} axis ${axis}`);
    }
  }
  const flat = tf.concat([tf.tensor1d([1, 2]), tf.tensor1d([]), tf.tensor1d([3])]);
  assertEquals(flat.arraySync(), [1, 2, 3]);
});
