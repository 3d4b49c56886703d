import * as tf from '@tensorflow/tfjs-core';
import { hasKernel, SGD_UPDATE_KERNEL } from '../backends/fused-kernels.js';
import type { OptimizerSpec } from '../spec/schema.js';

/**
 * tfjs's SGD, whose update runs as one GradlabSgdUpdate kernel for all the variables where the
 * backend has it (two kernels per variable otherwise, as tfjs runs them). Same rounding.
 */
class FusedSGD extends tf.SGDOptimizer {
  override applyGradients(
    variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[],
  ): void {
    if (!hasKernel(SGD_UPDATE_KERNEL)) {
      super.applyGradients(variableGradients);
      return;
    }
    const pairs: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const variables: tf.Variable[] = [];
    const grads: tf.Tensor[] = [];
    for (const [name, gradient] of pairs) {
      if (gradient == null) continue;
      variables.push(tf.engine().registeredVariables[name] as tf.Variable);
      grads.push(gradient);
    }
    tf.tidy(() => {
      const updated = tf
        .engine()
        .runKernel(SGD_UPDATE_KERNEL, [...variables, ...grads] as unknown as tf.NamedTensorMap, {
          lr: this.learningRate,
        }) as unknown as tf.Tensor[];
      for (const [i, v] of variables.entries()) v.assign(updated[i] as tf.Tensor);
    });
    this.incrementIterations();
  }
}

/** tfjs's own optimisers: the update rules users of tfjs already trust. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return new FusedSGD(spec.lr);
    case 'momentum': {
      const optimizer = tf.train.momentum(spec.lr, spec.momentum);
      // tfjs 4's MomentumOptimizer.dispose() frees its own state but not the learning-rate
      // scalar (`c`) its SGDOptimizer base keeps: free that too, so a run leaks no tensor.
      const dispose = optimizer.dispose.bind(optimizer);
      optimizer.dispose = () => {
        dispose();
        (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
      };
      return optimizer;
    }
    case 'adam':
      return tf.train.adam(spec.lr, spec.beta1, spec.beta2, spec.epsilon);
  }
}
