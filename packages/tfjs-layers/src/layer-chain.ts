import { GradlabError } from '@gradlab/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

export type Layer = LayersModel['layers'][number];

/**
 * The layers of a model whose layers form one chain, input side first, without the InputLayer.
 * `fit` on a tf.sequential runs its inner functional model, so that is what a callback gets;
 * core's monitor applies the layers one after another, which is right for a chain only.
 */
export function layerChain(model: LayersModel): Layer[] {
  const chain = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const linked = chain.every((layer, i) => {
    const nodes = (layer as unknown as { inboundNodes: { inboundLayers: Layer[] }[] }).inboundNodes;
    const from = nodes[0]?.inboundLayers ?? [];
    return nodes.length === 1 && from.length === 1 && (i === 0 || from[0] === chain[i - 1]);
  });
  if (!linked || model.inputs.length !== 1 || model.outputs.length !== 1 || chain.length === 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      'gradlabCallback watches models whose layers form one chain (tf.sequential); for other models, use createGradientMonitor from @gradlab/core in your own loop',
    );
  }
  return chain;
}
