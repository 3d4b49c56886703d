/**
 * Watch the per-layer gradients of your OWN tfjs model, in your own training loop, with
 * @gradlab/core's monitor. Two 12-layer classifiers that differ only in activation and
 * initialiser: sigmoid + small random weights, then ReLU + He. Run: pnpm --filter @gradlab/examples monitor
 */
import '@tensorflow/tfjs-backend-wasm';
import { createGradientMonitor, formatNumber } from '@gradlab/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

function classifier(activation: 'sigmoid' | 'relu', init: string): tfl.Sequential {
  const model = tfl.sequential();
  for (let i = 0; i < 12; i++) {
    model.add(
      tfl.layers.dense({
        units: 64,
        activation,
        kernelInitializer: init as 'heNormal',
        ...(i === 0 ? { inputShape: [32] } : {}),
      }),
    );
  }
  model.add(tfl.layers.dense({ units: 4 })); // logits
  return model;
}

async function watch(name: string, model: tfl.Sequential): Promise<void> {
  const monitor = createGradientMonitor(model);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([64, 32], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 4, 'int32', 2), 4));
  let last = null;
  for (let step = 0; step < 5; step++) {
    last = await monitor.step({ x, y, loss: tf.losses.softmaxCrossEntropy, optimizer });
  }
  if (!last) return;
  console.log(`\n${name}: verdict ${last.verdict}, loss ${last.loss.toFixed(4)}`);
  console.table(
    last.layers.map((l) => ({
      layer: l.name,
      'grad norm': formatNumber(l.gradNorm, { notation: 'scientific' }),
      'ratio to last': formatNumber(l.ratioToLast, { notation: 'scientific' }),
      'act std': l.activationStd?.toFixed(3),
      verdict: l.verdict,
    })),
  );
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
}

await tf.setBackend('wasm');
await watch('sigmoid, random normal std 0.05', classifier('sigmoid', 'randomNormal'));
await watch('relu, He normal', classifier('relu', 'heNormal'));
console.log(`\ntensors still allocated: ${tf.memory().numTensors}`);
