import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../random.js';
import type { RecurrentSpec } from '../spec/schema.js';
import { applyActivation } from './activations.js';
import { initKernel } from './init.js';
import { matMul } from './matmul.js';
import { type GradModel, type LayerGroup, uniquePrefix } from './types.js';

/** Gate blocks per cell: the kernels of all gates are stored side by side. */
const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;

/**
 * A single recurrent layer over [batch, time, features] read by a linear layer on the last
 * hidden state.
 * - rnn:  h_t = act(x_t W + h_{t-1} U + b)
 * - lstm: gates i, f, g, o (Hochreiter & Schmidhuber 1997, forget gate of Gers et al. 2000),
 *         c_t = s(f) c_{t-1} + s(i) tanh(g), h_t = s(o) tanh(c_t); forget bias starts at `forgetBias`
 * - gru:  z, r, n (Cho et al. 2014), h_t = (1 - z) n + z h_{t-1}, n = tanh(x W_n + (r h) U_n + b_n)
 * Each gate block of the kernels is initialised on its own (as Keras does), so an orthogonal
 * recurrent kernel is orthogonal per gate.
 */
export function buildRecurrent(
  spec: RecurrentSpec,
  inputSize: number,
  steps: number,
  outputSize: number,
  seed: number,
): GradModel {
  const prefix = uniquePrefix(spec.kind);
  const rng = createRng(seed, 'init');
  const h = spec.hiddenSize;
  const gates = GATES[spec.kind];
  const blocks = (init: RecurrentSpec['init'], rows: number): Float32Array => {
    const out = new Float32Array(rows * h * gates);
    for (let g = 0; g < gates; g++) {
      const block = initKernel(init, rows, h, rng);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < h; c++) out[r * h * gates + g * h + c] = block[r * h + c] as number;
    }
    return out;
  };
  const layers: LayerGroup[] = [];
  tf.tidy(() => {
    const bias = new Float32Array(h * gates);
    if (spec.kind === 'lstm') bias.fill(spec.forgetBias, h, 2 * h);
    const kernel = tf.variable(
      tf.tensor2d(blocks(spec.init, inputSize), [inputSize, h * gates]),
      true,
      `${prefix}/cell/kernel`,
    );
    const b = tf.variable(tf.tensor1d(bias), true, `${prefix}/cell/bias`);
    const recurrent = tf.variable(
      tf.tensor2d(blocks(spec.recurrentInit, h), [h, h * gates]),
      true,
      `${prefix}/cell/recurrent`,
    );
    const outKernel = tf.variable(
      tf.tensor2d(initKernel('xavier-uniform', h, outputSize, rng), [h, outputSize]),
      true,
      `${prefix}/output/kernel`,
    );
    const outBias = tf.variable(tf.zeros([outputSize]), true, `${prefix}/output/bias`);
    const act = spec.kind === 'rnn' ? spec.activation : 'tanh';
    layers.push(
      { name: `${spec.kind}.input`, kernel, bias: b, extra: [], activation: null },
      { name: `${spec.kind}.recurrent`, kernel: recurrent, bias: null, extra: [], activation: act },
      { name: 'output', kernel: outKernel, bias: outBias, extra: [], activation: null },
    );
  });
  const [cellIn, cellRec, out] = layers as [LayerGroup, LayerGroup, LayerGroup];
  const variables = layers.flatMap((g) => [g.kernel, ...(g.bias ? [g.bias] : [])]);

  return {
    kind: spec.kind,
    layers,
    variables,
    stateVariables: [],
    signalLabels: Array.from({ length: steps }, (_, t) => `t=${t + 1}`),
    probeShapes: (batch) => Array.from({ length: steps }, () => [batch, h]),
    forward(x, probes) {
      const batch = x.shape[0] as number;
      const xs = tf.unstack(x, 1) as tf.Tensor2D[];
      // Input projections of all steps in one matMul: [batch*T, F] @ [F, gates*h].
      const proj = tf.add(
        matMul(
          tf.reshape(x, [batch * xs.length, inputSize]) as tf.Tensor2D,
          cellIn.kernel as tf.Tensor as tf.Tensor2D,
        ),
        cellIn.bias as tf.Variable,
      );
      const projT = tf.unstack(tf.reshape(proj, [batch, xs.length, h * gates]), 1) as tf.Tensor2D[];
      const U = cellRec.kernel as tf.Tensor as tf.Tensor2D;
      let hPrev: tf.Tensor2D = tf.zeros([batch, h]);
      let c: tf.Tensor2D = tf.zeros([batch, h]);
      const hs: tf.Tensor2D[] = [];
      for (let t = 0; t < projT.length; t++) {
        const xp = projT[t] as tf.Tensor2D;
        let hNext: tf.Tensor2D;
        if (spec.kind === 'rnn') {
          hNext = applyActivation(
            spec.activation,
            tf.add(xp, matMul(hPrev, U)),
            0.01,
          ) as tf.Tensor2D;
        } else if (spec.kind === 'lstm') {
          const zAll = tf.add(xp, matMul(hPrev, U));
          const [i, f, g, o] = tf.split(zAll, 4, 1) as [
            tf.Tensor2D,
            tf.Tensor2D,
            tf.Tensor2D,
            tf.Tensor2D,
          ];
          c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
          hNext = tf.mul(tf.sigmoid(o), tf.tanh(c));
        } else {
          const [xz, xr, xn] = tf.split(xp, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const [uzr, un] = tf.split(U, [2 * h, h], 1) as [tf.Tensor2D, tf.Tensor2D];
          const [hz, hr] = tf.split(matMul(hPrev, uzr), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
          const z = tf.sigmoid(tf.add(xz, hz));
          const r = tf.sigmoid(tf.add(xr, hr));
          const n = tf.tanh(tf.add(xn, matMul(tf.mul(r, hPrev), un)));
          hNext = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, hPrev));
        }
        hs.push(hNext);
        const probe = probes?.[t];
        hPrev = probe ? tf.add(hNext, probe) : hNext;
      }
      const output = tf.add(
        matMul(hPrev, out.kernel as tf.Tensor as tf.Tensor2D),
        out.bias as tf.Variable,
      ) as tf.Tensor2D;
      return {
        output,
        captured: [null, { pre: null, post: tf.concat(hs, 0) }, null],
        stateUpdates: [],
      };
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
