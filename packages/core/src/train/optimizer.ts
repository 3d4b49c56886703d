import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from '../spec/schema.js';

/** tfjs's own optimisers: the update rules users of tfjs already trust. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return tf.train.sgd(spec.lr);
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
