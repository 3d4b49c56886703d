import { defineMitigation, type Mitigation, requireRecurrent } from '../mitigation.js';

const PROBLEM =
  "Backprop through time multiplies the gradient, at every time step, by the recurrent Jacobian diag(act'(z_t)) U^T: over T steps the product shrinks exponentially when the recurrent kernel's spectral radius (times the activation's slope) is below 1, and grows exponentially above it, so the signal from early inputs vanishes or explodes.";

const swap = (kind: 'rnn' | 'lstm' | 'gru') =>
  function transform(draft: Parameters<Mitigation['apply']>[0]): void {
    const model = requireRecurrent(
      kind,
      draft,
      `${kind} swaps the cell of a recurrent net (a spec with sequence data, data.kind "adding", and model.kind "rnn", "lstm" or "gru")`,
    );
    // hiddenSize, initialisers, activation and forget bias carry over; each cell uses its own.
    model.kind = kind;
  };

const appliesTo = 'recurrent nets (rnn, lstm, gru); keeps hiddenSize and the initialisers';

export const recurrentStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'rnn',
    title: 'Plain recurrent cell (the baseline)',
    category: 'recurrent-cell',
    addresses: 'both',
    problem: PROBLEM,
    how: "h_t = act(x_t W + h_{t-1} U + b): swapping back to the plain cell shows the gradient through time as the recurrent kernel and the activation make it. Its default recurrent kernel is orthogonal (Saxe et al. 2014), which keeps a tanh cell's gradient through time far better than small random weights; with relu and identity-init it becomes the IRNN (rnn+relu+identity-init).",
    whenItDoesNotHelp:
      'It mitigates nothing by itself: it is the baseline the gated cells are measured against; its gradient through time vanishes or explodes (Bengio et al. 1994).',
    citation:
      'Elman (1990), Finding structure in time, Cognitive Science; Bengio, Simard & Frasconi (1994), Learning long-term dependencies with gradient descent is difficult, IEEE Transactions on Neural Networks.',
    appliesTo,
    sets: 'model.kind = "rnn"',
    tfjs: 'tf.layers.simpleRNN({ units })',
    transform: swap('rnn'),
  }),
  defineMitigation({
    name: 'lstm',
    title: 'Long short-term memory cell',
    category: 'recurrent-cell',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: "The cell state is updated additively, c_t = f * c_{t-1} + i * g: along c the gradient is multiplied only by the forget gate f, close to 1 (the forget bias starts at model.forgetBias, 1 by default), not by a weight matrix and a squashing slope: the 'constant error carousel' carries it across long time lags.",
    whenItDoesNotHelp:
      'A forget gate below 1 still decays the gradient: with forget bias 1 the gate starts near sigmoid(1) = 0.73, about 3e-6 over 40 steps (raise model.forgetBias for longer lags). The path through h and the gates can still explode (combine with clip-global-norm, as most LSTM practice does). Four times the parameters and compute of a plain cell.',
    citation:
      'Hochreiter & Schmidhuber (1997), Long short-term memory, Neural Computation; Gers, Schmidhuber & Cummins (2000), Learning to forget: continual prediction with LSTM, Neural Computation.',
    appliesTo,
    sets: 'model.kind = "lstm"',
    tfjs: 'tf.layers.lstm({ units, unitForgetBias: true })',
    transform: swap('lstm'),
  }),
  defineMitigation({
    name: 'gru',
    title: 'Gated recurrent unit cell',
    category: 'recurrent-cell',
    addresses: 'vanishing',
    problem: PROBLEM,
    how: 'An update gate z interpolates between the old state and a candidate, h_t = (1 - z) n + z h_{t-1}: where z is near 1 the state, and the gradient along it, is copied from step to step unchanged. A reset gate lets the candidate ignore the past.',
    whenItDoesNotHelp:
      'The update gate starts near 0.5 (zero bias), so at initialisation the state, and the gradient along it, halves at every step until training opens the gate; over long lags it decays like any product of gates below 1, and the gradient can still explode (add clip-global-norm). Three times the parameters and compute of a plain cell.',
    citation:
      'Cho et al. (2014), Learning phrase representations using RNN encoder-decoder for statistical machine translation, EMNLP; Chung, Gulcehre, Cho & Bengio (2014), Empirical evaluation of gated recurrent neural networks on sequence modeling, arXiv:1412.3555.',
    appliesTo,
    sets: 'model.kind = "gru"',
    tfjs: 'tf.layers.gru({ units })',
    transform: swap('gru'),
  }),
];
