import { defineMitigation, type Mitigation, requireMlp } from '../mitigation.js';

export const pretrainingStrategies: readonly Mitigation[] = [
  defineMitigation({
    name: 'pretrain',
    title: 'Greedy layer-wise pre-training',
    category: 'pre-training',
    addresses: 'vanishing',
    params: [
      {
        name: 'stepsPerLayer',
        description: 'pre-training steps of each hidden layer',
        type: 'integer',
        min: 1,
        max: 100_000,
        default: 100,
      },
    ],
    problem:
      'In a deep network trained end to end, the first layers learn from a gradient that has crossed every other layer and may have vanished on the way: they stay close to their random initialisation.',
    how: 'Before training, each hidden layer in turn is trained alone as the encoder of an autoencoder that reconstructs its own input (the data passed through the layers already pre-trained), with a linear decoder that is then thrown away. Every layer starts fine-tuning with useful features, learned without a gradient that had to cross the whole network.',
    whenItDoesNotHelp:
      'It gives a better start, not a better gradient flow: if the architecture vanishes, fine-tuning still does. It costs stepsPerLayer steps per hidden layer, and ignores skip connections. Relu, good initialisation and normalisation made it unnecessary for most networks. MLPs only.',
    citation:
      'Hinton, Osindero & Teh (2006), A fast learning algorithm for deep belief nets, Neural Computation; Bengio, Lamblin, Popovici & Larochelle (2007), Greedy layer-wise training of deep networks, NeurIPS.',
    appliesTo: 'MLPs',
    sets: 'training.pretraining = { stepsPerLayer, lr: 0.01 }',
    transform(draft, [stepsPerLayer]) {
      requireMlp(
        'pretrain',
        draft,
        'layer-wise pre-training trains hidden layers of an MLP one by one; a recurrent cell is a single layer',
      );
      draft.training.pretraining = {
        stepsPerLayer: stepsPerLayer as number,
        lr: draft.training.pretraining?.lr ?? 0.01,
      };
    },
  }),
];
