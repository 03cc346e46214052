/**
 * Faster Slice, SplitV and Concat kernels for tfjs's wasm backend.
 *
 * tfjs 4.22's wasm versions of these run in JavaScript and first copy each
 * input tensor whole out of the wasm heap (`readSync`), so splitting the
 * packed parameters of 128 runs into 10 pieces copies them 10 times: about
 * 240 µs, against 3–6 µs for an arithmetic kernel. These versions read the
 * inputs through views of the heap instead, and copy only what the output
 * needs. Strings and complex numbers go to the original kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type Args = { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap; backend: HeapBackend };

const NUMERIC = new Set(["float32", "int32", "bool"]);

/** Copies the block `begin`/`size` of `x` (a heap view of `shape`) into `out`. */
function copyBlock(
  x: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
  shape: number[],
  begin: number[],
  size: number[],
  out: { set(values: ArrayLike<number>, offset: number): void },
): void {
  const rank = shape.length;
  const strides = tf.util.computeStrides(shape);
  const rowLength = size[rank - 1] ?? 1;
  const rows = size.slice(0, -1).reduce((a, b) => a * b, 1);
  const index = new Array(Math.max(rank - 1, 0)).fill(0);
  for (let row = 0; row < rows; row++) {
    let offset = rank > 0 ? begin[rank - 1] : 0;
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    out.set(x.subarray(offset, offset + rowLength), row * rowLength);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
}

function fastSlice(args: Args, original: tf.KernelFunc): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  if (!NUMERIC.has(x.dtype)) return original(args as never) as tf.TensorInfo;
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as tf.Tensor,
    args.attrs.begin as number[],
    args.attrs.size as number[],
  );
  const out = args.backend.makeOutput(size, x.dtype);
  if (tf.util.sizeFromShape(size) > 0) {
    // Views are taken after makeOutput, which may grow (and move) the heap.
    copyBlock(
      args.backend.typedArrayFromHeap(x),
      x.shape,
      begin,
      size,
      args.backend.typedArrayFromHeap(out),
    );
  }
  return out;
}

function fastSplit(args: Args, originalSlice: tf.KernelFunc): tf.TensorInfo[] {
  const x = args.inputs.x as tf.TensorInfo;
  const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(
    x as tf.Tensor,
    args.attrs.numOrSizeSplits as number[] | number,
    axis,
  );
  const begin = new Array(x.shape.length).fill(0);
  return sizes.map((part) => {
    const size = [...x.shape];
    size[axis] = part;
    const out = fastSlice(
      { ...args, attrs: { begin: [...begin], size } },
      originalSlice,
    );
    begin[axis] += part;
    return out;
  });
}

function fastConcat(args: Args, original: tf.KernelFunc): tf.TensorInfo {
  const inputs = args.inputs as unknown as tf.TensorInfo[];
  const list = Array.isArray(inputs) ? inputs : Object.values(args.inputs) as tf.TensorInfo[];
  const dtype = list[0]?.dtype;
  if (!dtype || !NUMERIC.has(dtype) || list.some((t) => t.dtype !== dtype)) {
    return original(args as never) as tf.TensorInfo;
  }
  const axis = tf.util.parseAxisParam(args.attrs.axis as number, list[0].shape)[0];
  const shape = tf.backend_util.computeOutShape(list.map((t) => t.shape), axis);
  const out = args.backend.makeOutput(shape, dtype);
  if (tf.util.sizeFromShape(shape) === 0) return out;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const outInner = shape.slice(axis).reduce((a, b) => a * b, 1);
  const target = args.backend.typedArrayFromHeap(out);
  let offset = 0;
  for (const input of list) {
    const inner = input.shape.slice(axis).reduce((a, b) => a * b, 1);
    if (inner > 0) {
      const source = args.backend.typedArrayFromHeap(input);
      for (let o = 0; o < outer; o++) {
        target.set(source.subarray(o * inner, (o + 1) * inner), o * outInner + offset);
      }
    }
    offset += inner;
  }
  return out;
}

let installed = false;

/**
 * Replaces the wasm backend's Slice, SplitV and Concat kernels with the
 * faster versions above (once per process or Worker).
 */
export function installFastWasmKernels(): void {
  if (installed) return;
  installed = true;
  const replace = (name: string, make: (original: tf.KernelFunc) => tf.KernelFunc) => {
    const config = tf.getKernel(name, "wasm");
    if (!config) return;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...config, kernelFunc: make(config.kernelFunc) });
  };
  const originalSlice = tf.getKernel("Slice", "wasm")?.kernelFunc;
  if (!originalSlice) return;
  replace("Slice", (original) => (args) => fastSlice(args as unknown as Args, original));
  replace("SplitV", () => (args) => fastSplit(args as unknown as Args, originalSlice));
  replace("Concat", (original) => (args) => fastConcat(args as unknown as Args, original));
}
