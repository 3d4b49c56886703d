// @gradlab/backend-cuda declares @tensorflow/tfjs-node and @tensorflow/tfjs-node-gpu as OPTIONAL
// peer dependencies: a user installs one of them by hand (see docs/backends/cuda.md). pnpm's
// autoInstallPeers (on by default) installs a workspace project's own peers, optional ones
// included (it ignores peerDependenciesMeta there), and both packages' install scripts download
// libtensorflow from a host that is often out of reach. So the workspace install does not see
// them; the published manifest keeps them.
const OPTIONAL_NATIVE_PEERS = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

module.exports = {
  hooks: {
    readPackage(pkg) {
      if (pkg.name === '@gradlab/backend-cuda' && pkg.peerDependencies) {
        for (const name of OPTIONAL_NATIVE_PEERS) delete pkg.peerDependencies[name];
      }
      return pkg;
    },
  },
};
