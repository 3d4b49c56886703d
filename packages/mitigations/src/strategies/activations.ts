import type { Activation, ExperimentSpec } from '@gradlab/core';
import { defineMitigation, inapplicable, type Mitigation } from '../mitigation.js';

const PROBLEM =
  "Backprop multiplies the gradient, layer after layer, by the activation's slope at every unit. A slope below 1 on average shrinks it geometrically with depth (vanishing); units stuck where the slope is 0 pass nothing back at all.";

/** Sets the activation of every hidden layer (MLP) or of the plain rnn cell. */
function setActivation(name: Activation, draft: ExperimentSpec): void {
  const model = draft.model;
  if (model.kind === 'mlp') {
    model.activation = name;
    return;
  }
  if (model.kind === 'rnn') {
    if (name === 'prelu') {
      throw inapplicable(
        name,
        "gradlab's plain rnn cell takes a fixed activation, not a learned one; prelu is available in MLPs",
      );
    }
    model.activation = name;
    return;
  }
  throw inapplicable(
    name,
    `the ${model.kind} cell's nonlinearities are fixed (sigmoid gates, tanh candidate); swap to a plain cell first: rnn+${name}`,
  );
}

const appliesTo = 'MLPs (every hidden layer) and plain rnn cells';

export const activationStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'sigmoid',
    title: 'Logistic sigmoid activation',
    category: 'activation',
    // The baseline the others are measured against: it works against neither problem.
    addresses: 'neither',
    problem: PROBLEM,
    how: 'sigmoid(z) = 1 / (1 + e^-z) is bounded in (0, 1), so activations cannot blow up, and its slope is at most 1/4, so with weights of order 1 every layer shrinks the backward signal. That does not make it a cure for exploding gradients: with large enough weights the gradient still grows through it, layer after layer (mean-field theory puts the edge at sigma_w^2 = 103 with zero-variance biases: `gradlab theory sigmoid --critical`).',
    whenItDoesNotHelp:
      'In a deep network it is the classic cause of VANISHING gradients (Glorot & Bengio 2010): with weights of order 1 the signal shrinks about 4x per layer, saturated units (outputs near 0 or 1) pass almost nothing, and its outputs are never zero-centred. Use it as the baseline the other strategies are measured against, as a gate, or in shallow networks.',
    citation:
      'Glorot & Bengio (2010), Understanding the difficulty of training deep feedforward neural networks, AISTATS.',
    appliesTo,
    sets: 'model.activation = "sigmoid"',
    tfjs: "tf.layers.dense({ units, activation: 'sigmoid' })",
    transform: (draft) => setActivation('sigmoid', draft),
  }),
  defineMitigation({
    name: 'tanh',
    title: 'Hyperbolic tangent activation',
    category: 'activation',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: 'tanh is zero-centred with slope 1 at the origin (sigmoid: 1/4), so in its linear regime, with Xavier initialisation, a layer preserves the variance of the signal in both directions; it stays bounded in (-1, 1).',
    whenItDoesNotHelp:
      'It saturates: for |z| > 2 its slope is below 0.07, so large weights or inputs, or a deep stack without Xavier initialisation, still vanish. In a recurrent net the gradient through time still decays (Bengio et al. 1994).',
    citation:
      'LeCun, Bottou, Orr & Muller (1998), Efficient BackProp, Neural Networks: Tricks of the Trade.',
    appliesTo,
    sets: 'model.activation = "tanh"',
    tfjs: "tf.layers.dense({ units, activation: 'tanh' })",
    transform: (draft) => setActivation('tanh', draft),
  }),
  defineMitigation({
    name: 'relu',
    title: 'Rectified linear unit',
    category: 'activation',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: 'max(0, z) has slope exactly 1 for every active unit and does not saturate on the positive side, so the active path multiplies the gradient by the weights alone. With He initialisation the variance of the signal is preserved layer to layer.',
    whenItDoesNotHelp:
      'Units whose pre-activation is negative for every input are dead: their gradient is 0 for good (more of them with a large learning rate). It is unbounded, so with too-large weights the signal explodes instead; with Xavier initialisation (made for tanh) the variance halves at every layer. Combine with he-init.',
    citation:
      'Nair & Hinton (2010), Rectified linear units improve restricted Boltzmann machines, ICML; Glorot, Bordes & Bengio (2011), Deep sparse rectifier neural networks, AISTATS.',
    appliesTo,
    sets: 'model.activation = "relu"',
    tfjs: "tf.layers.dense({ units, activation: 'relu' })",
    transform: (draft) => setActivation('relu', draft),
  }),
  defineMitigation({
    name: 'leaky-relu',
    title: 'Leaky ReLU',
    category: 'activation',
    addresses: 'vanishing',
    params: [
      {
        name: 'alpha',
        description: 'slope on the negative side',
        type: 'number',
        min: 0,
        max: 1,
        default: 0.01,
        example: 0.1,
      },
    ],
    problem: PROBLEM,
    how: "z for z > 0, alpha * z otherwise: the negative side keeps a small slope, so no unit is ever dead and some gradient always flows back. He initialisation takes the slope into account: its variance becomes 2 / ((1 + alpha^2) fan_in), the layer's gain.",
    whenItDoesNotHelp:
      'With the usual alpha = 0.01 it trains much like relu (Maas et al. found the two on a par); it does nothing against explosion. In a plain rnn cell gradlab fixes alpha at 0.01.',
    citation:
      'Maas, Hannun & Ng (2013), Rectifier nonlinearities improve neural network acoustic models, ICML Workshop on Deep Learning for Audio, Speech and Language Processing.',
    appliesTo,
    sets: 'model.activation = "leaky-relu", model.leakyAlpha = alpha (MLP)',
    tfjs: 'tf.layers.leakyReLU({ alpha })',
    transform(draft, [alpha]) {
      setActivation('leaky-relu', draft);
      if (draft.model.kind === 'mlp') draft.model.leakyAlpha = alpha as number;
      else if (alpha !== 0.01) {
        throw inapplicable(
          'leaky-relu',
          `a plain rnn cell's leaky-relu slope is fixed at 0.01; got alpha ${alpha}. The slope is configurable in MLPs`,
        );
      }
    },
  }),
  defineMitigation({
    name: 'prelu',
    title: 'Parametric ReLU (learned negative slope)',
    category: 'activation',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: 'Like leaky-relu, but every unit learns its own negative slope, a trained variable of the layer that starts at model.preluInit (0.25, as in the paper). No unit dies, and the network chooses how much signal the negative side passes; He initialisation uses the gain 2 / ((1 + a^2) fan_in) with the initial slope.',
    whenItDoesNotHelp:
      'One more parameter per unit, which can overfit small data sets. A slope that drifts toward 1 makes the layer nearly linear, and a deep stack of nearly linear layers vanishes or explodes with the scale of its weights. MLPs only: recurrent cells take fixed activations.',
    citation:
      'He, Zhang, Ren & Sun (2015), Delving deep into rectifiers: surpassing human-level performance on ImageNet classification, ICCV.',
    appliesTo: 'MLPs',
    sets: 'model.activation = "prelu" (initial slope model.preluInit, default 0.25)',
    tfjs: 'tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }) })',
    transform: (draft) => setActivation('prelu', draft),
  }),
  defineMitigation({
    name: 'elu',
    title: 'Exponential linear unit',
    category: 'activation',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: 'z for z > 0, e^z - 1 otherwise: slope 1 on the positive side, a smooth non-zero slope just below 0, and negative outputs that push the mean activation toward 0, which speeds learning much as normalisation does.',
    whenItDoesNotHelp:
      'The negative side saturates at -1: very negative pre-activations pass almost no gradient. Unbounded above, so too-large weights still explode. The exponential costs more than relu.',
    citation:
      'Clevert, Unterthiner & Hochreiter (2016), Fast and accurate deep network learning by exponential linear units (ELUs), ICLR.',
    appliesTo,
    sets: 'model.activation = "elu"',
    tfjs: "tf.layers.dense({ units, activation: 'elu' })",
    transform: (draft) => setActivation('elu', draft),
  }),
  defineMitigation({
    name: 'selu',
    title: 'Scaled exponential linear unit (self-normalising)',
    category: 'activation',
    addresses: 'both',
    problem: PROBLEM,
    how: 'lambda * elu with lambda ~ 1.0507 and alpha ~ 1.6733, chosen so that, with LeCun-normal weights, mean 0 and variance 1 is an attracting fixed point of every layer: activations drift back to unit variance through the depth, and the gradient neither vanishes nor explodes, without normalisation layers.',
    whenItDoesNotHelp:
      'The fixed point holds only for plain feed-forward layers with lecun-normal initialisation (use selu+lecun-init); other initialisers, batchnorm, residual connections or ordinary dropout break it.',
    citation:
      'Klambauer, Unterthiner, Mayr & Hochreiter (2017), Self-normalizing neural networks, NeurIPS.',
    appliesTo,
    sets: 'model.activation = "selu"',
    tfjs: "tf.layers.dense({ units, activation: 'selu', kernelInitializer: 'leCunNormal' })",
    transform: (draft) => setActivation('selu', draft),
  }),
  defineMitigation({
    name: 'gelu',
    title: 'Gaussian error linear unit',
    category: 'activation',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: 'z * Phi(z) (Phi the standard normal CDF, computed exactly with erf): a smooth relu whose slope is non-zero for slightly negative inputs, so units do not die abruptly; the activation of Transformers.',
    whenItDoesNotHelp:
      'For strongly negative inputs it is as flat as relu; it does nothing against explosion; erf costs more than relu.',
    citation: 'Hendrycks & Gimpel (2016), Gaussian error linear units (GELUs), arXiv:1606.08415.',
    appliesTo,
    sets: 'model.activation = "gelu"',
    tfjs: "tf.layers.dense({ units, activation: 'gelu' })",
    transform: (draft) => setActivation('gelu', draft),
  }),
];
