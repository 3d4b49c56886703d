import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from '../spec/schema.js';

/** tfjs's own optimisers: the update rules users of tfjs already trust. */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return tf.train.sgd(spec.lr);
    case 'momentum':
      return tf.train.momentum(spec.lr, spec.momentum);
    case 'adam':
      return tf.train.adam(spec.lr, spec.beta1, spec.beta2, spec.epsilon);
  }
}
