import { defineMitigation, inapplicable, type Mitigation, requireMlp } from '../mitigation.js';

const NORM_PROBLEM =
  "The scale of the signal drifts from layer to layer (too-large or too-small weights, saturating activations, updates that change the distribution of every later layer's input), and the gradient, which is multiplied by the same layers, drifts with it.";

const NO_RECURRENT_NORM =
  "gradlab's recurrent cells have no normalisation layer; against the gradient through time use lstm, gru or clip-global-norm";

export const architectureStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'batchnorm',
    title: 'Batch normalisation',
    category: 'normalisation',
    addresses: 'both',
    problem: NORM_PROBLEM,
    how: "Every hidden unit's pre-activation is normalised over the batch to mean 0 and variance 1, then scaled and shifted by learned gamma and beta. Each layer's input scale is reset whatever the weights did, so the signal cannot drift with depth; the output no longer depends on the scale of the weights, and the gradient with respect to larger weights is proportionally smaller, which stabilises training. Inference uses running averages of the batch statistics (momentum 0.99).",
    whenItDoesNotHelp:
      'Small batches give noisy statistics (a batch of 1 has no variance). In a deep network without skip connections, batch normalisation itself makes the gradient explode at initialisation (Yang et al. 2019, A mean field theory of batch normalization). Running statistics lag behind the weights, so inference can differ from training. Not available in recurrent cells here.',
    citation:
      'Ioffe & Szegedy (2015), Batch normalization: accelerating deep network training by reducing internal covariate shift, ICML.',
    appliesTo: 'MLPs',
    sets: 'model.norm = "batchnorm"',
    tfjs: 'tf.layers.batchNormalization() between a dense layer (no activation) and tf.layers.activation',
    transform(draft) {
      requireMlp('batchnorm', draft, NO_RECURRENT_NORM).norm = 'batchnorm';
    },
  }),
  defineMitigation({
    name: 'layernorm',
    title: 'Layer normalisation',
    category: 'normalisation',
    addresses: 'both',
    problem: NORM_PROBLEM,
    how: "Every example's pre-activations are normalised over the layer's units to mean 0 and variance 1, then scaled and shifted by learned gamma and beta. Like batchnorm it resets the scale of the signal at every layer, but it does not depend on the batch: the same computation in training and inference, at any batch size.",
    whenItDoesNotHelp:
      "Narrow layers give noisy statistics; it removes each example's mean and scale across units, information some tasks need. Without skip connections, very deep networks remain hard to train. Not available in recurrent cells here (where the paper applied it).",
    citation: 'Ba, Kiros & Hinton (2016), Layer normalization, arXiv:1607.06450.',
    appliesTo: 'MLPs',
    sets: 'model.norm = "layernorm"',
    tfjs: 'tf.layers.layerNormalization() between a dense layer (no activation) and tf.layers.activation',
    transform(draft) {
      requireMlp('layernorm', draft, NO_RECURRENT_NORM).norm = 'layernorm';
    },
  }),
  defineMitigation({
    name: 'residual',
    title: 'Residual (skip) connections',
    category: 'architecture',
    addresses: 'vanishing',
    params: [
      {
        name: 'every',
        description: 'hidden layers per residual block',
        type: 'integer',
        min: 1,
        max: 100,
        default: 2,
      },
    ],
    problem:
      'In a plain deep network the gradient reaching the first layers is a product of one Jacobian per layer: any consistent shrinking factor vanishes it exponentially with depth.',
    how: "The hidden layers after the first are grouped in blocks of `every`, and each block's input is added to its output: h_out = h_in + F(h_in). Then dL/dh_in = dL/dh_out (I + dF/dh_in): the identity term carries the gradient past every block undiminished, so even the first layers receive the output's gradient. Where a block changes the width, a learned linear projection (no bias) replaces the identity.",
    whenItDoesNotHelp:
      "Each block adds its branch's variance to the signal, so activations grow with depth unless normalisation or a scaled initialisation keeps the branches small (Fixup, Zhang et al. 2019). A projection skip is not the identity and can shrink or grow the gradient. The first hidden layer and the output layer are outside every block.",
    citation:
      'He, Zhang, Ren & Sun (2016), Deep residual learning for image recognition, CVPR; He, Zhang, Ren & Sun (2016), Identity mappings in deep residual networks, ECCV.',
    appliesTo: 'MLPs with at least `every` + 1 hidden layers',
    sets: 'model.residual = { every }',
    tfjs: 'tf.layers.add().apply([blockInput, blockOutput]) in a functional tf.model',
    transform(draft, [every]) {
      const model = requireMlp(
        'residual',
        draft,
        'a recurrent cell already adds its state from step to step; use lstm or gru for an additive path through time',
      );
      const k = every as number;
      const hidden = model.depth - 1;
      if (hidden < k + 1) {
        throw inapplicable(
          'residual',
          `a block of ${k} hidden layer${k > 1 ? 's' : ''} starts after the first hidden layer, so it needs at least ${k + 1} hidden layers; this MLP has ${hidden} (depth ${model.depth}). Use a smaller block, e.g. residual:1, or a deeper model`,
        );
      }
      model.residual = { every: k };
    },
  }),
];
